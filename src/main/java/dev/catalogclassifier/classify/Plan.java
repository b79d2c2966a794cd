package dev.catalogclassifier.classify;

import dev.catalogclassifier.image.PhotoDetail;

/**
 * What every item of a request or a job shares: the taxonomy (resolved), the model, how items are read and who
 * classifies them. Requests and jobs build the same record, so the same item is routed the same way in both.
 *
 * @param pack text items per model call, 1 to {@link PackClassifier#MAX_PACK}
 */
public record Plan(Taxonomy taxonomy, String model, Mode mode, Strategy strategy, boolean useCache, PhotoDetail detail,
        int pack) {

    /** The plan of a validated request. */
    public static Plan of(ValidatedRequest request) {
        return new Plan(request.taxonomy(), request.model(), request.mode(), request.strategy(), request.useCache(),
                request.detail(), request.pack());
    }
}
