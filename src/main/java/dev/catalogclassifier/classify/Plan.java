package dev.catalogclassifier.classify;

import dev.catalogclassifier.image.PhotoDetail;

/**
 * What every item of a request or a job shares: the taxonomy (resolved), the model, how items are read and who
 * classifies them. Requests and jobs build the same record, so the same item is routed the same way in both.
 *
 * @param pack text items per model call, 1 to {@link PackClassifier#MAX_PACK}
 * @param explain whether results carry the categories they were chosen from
 * @param cascadePrecision the precision a cascade's locally settled items should reach; null for the taxonomy's
 */
public record Plan(Taxonomy taxonomy, String model, Mode mode, Strategy strategy, boolean useCache, PhotoDetail detail,
        int pack, boolean explain, Double cascadePrecision) {

    /** The plan of a validated request. */
    public static Plan of(ValidatedRequest request) {
        return new Plan(request.taxonomy(), request.model(), request.mode(), request.strategy(), request.useCache(),
                request.detail(), request.pack(), request.explain(), request.cascadePrecision());
    }

    /** The same plan for a model call that chooses from {@code narrowed} (a shortlist) instead. */
    public Plan withTaxonomy(Taxonomy narrowed) {
        return new Plan(narrowed, model, mode, strategy, useCache, detail, pack, explain, cascadePrecision);
    }
}
