package dev.catalogclassifier.taxonomy;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code GET /api/v1/taxonomies} answers: every stored taxonomy's name and categories, by name. */
@RegisterForReflection
public record TaxonomyListing(List<Entry> taxonomies) {

    /** One taxonomy, without its descriptions and examples ({@code GET /api/v1/taxonomies/{name}} has those). */
    public record Entry(String name, List<String> categories, int examples, String source, Instant updatedAt) {
    }
}
