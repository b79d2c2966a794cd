package dev.catalogclassifier.taxonomy;

import java.time.Instant;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code GET /api/v1/taxonomies} answers: every stored taxonomy's name and categories, by name. */
@RegisterForReflection
public record TaxonomyListing(List<Entry> taxonomies) {

    /**
     * One taxonomy, without its descriptions and examples ({@code GET /api/v1/taxonomies/{name}} has those).
     * {@code tenant} is its owner; absent for a shared one (loaded from a file, or on an open service). {@code status}:
     * {@code ready}, or {@code preparing} (or {@code failed}) for one a PUT answered 202 and is not stored yet.
     */
    public record Entry(String name, String tenant, TaxonomyStatus status, List<String> categories, int examples, String source,
            Instant updatedAt) {
    }
}
