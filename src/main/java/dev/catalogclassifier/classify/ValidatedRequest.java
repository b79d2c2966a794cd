package dev.catalogclassifier.classify;

import java.util.List;

import dev.catalogclassifier.image.PhotoDetail;

/**
 * A request that passed validation, with every default filled in. A request that names a stored taxonomy
 * carries only its name ({@code taxonomyName}) until {@link NamedTaxonomies} has resolved it.
 */
public record ValidatedRequest(List<Item> items, Mode mode, Taxonomy taxonomy, String model, boolean useCache,
        Strategy strategy, String taxonomyName, PhotoDetail detail, Double budgetUsd,
        int pack, boolean explain, Double cascadePrecision) {

    public ValidatedRequest withTaxonomy(Taxonomy resolved) {
        return new ValidatedRequest(items, mode, resolved, model, useCache, strategy, taxonomyName, detail, budgetUsd, pack,
                explain, cascadePrecision);
    }
}
