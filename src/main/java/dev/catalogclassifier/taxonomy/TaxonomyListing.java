package dev.catalogclassifier.taxonomy;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code GET /api/v1/taxonomies} answers: every stored taxonomy's name and categories, by name, and the default
 * taxonomy: the categories a request or job that names none is classified into.
 */
@RegisterForReflection
public record TaxonomyListing(List<Entry> taxonomies, DefaultTaxonomy defaultTaxonomy) {

    /** The taxonomy used when a request sends none ({@code classifier.requests.default-taxonomy}). */
    @RegisterForReflection
    public record DefaultTaxonomy(String description, List<String> categories) {
    }

    /**
     * One taxonomy, without its descriptions and examples ({@code GET /api/v1/taxonomies/{name}} has those).
     * {@code tenant} is its owner; absent for a shared one (loaded from a file, or on an open service). {@code status}:
     * {@code ready}, or {@code preparing} (or {@code failed}) for one a PUT answered 202 and is not stored yet.
     */
    @Schema(name = "TaxonomyEntry")
    public record Entry(String name, String tenant, TaxonomyStatus status, List<String> categories, int examples, String source,
            Instant updatedAt) {
    }
}
