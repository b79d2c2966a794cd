package dev.catalogclassifier.classify;

import dev.catalogclassifier.image.PhotoDetail;

/**
 * What every item of a request or a job shares: the taxonomy (resolved), the model, how items are read and who
 * classifies them. Requests and jobs build the same record, so the same item is routed the same way in both.
 *
 * @param pack text items per model call, 1 to {@link PackClassifier#MAX_PACK}
 * @param explain whether results carry the categories they were chosen from
 * @param cascadePrecision the precision a cascade's locally settled items should reach; null for the taxonomy's
 * @param large set when {@code taxonomy} is an item's shortlist of a taxonomy too large for one prompt: that whole
 *        taxonomy, and its tree when the model may walk it; null when the model sees {@code taxonomy} whole
 */
public record Plan(Taxonomy taxonomy, String model, Mode mode, Strategy strategy, boolean useCache, PhotoDetail detail,
        int pack, boolean explain, Double cascadePrecision, Large large) {

    /**
     * A taxonomy too large for one prompt. {@code tree} is null when its categories are not paths the model can walk
     * (a flat list): then an item's shortlist is all it may choose from.
     */
    public record Large(Taxonomy whole, TaxonomyTree tree) {
    }

    public Plan(Taxonomy taxonomy, String model, Mode mode, Strategy strategy, boolean useCache, PhotoDetail detail,
            int pack, boolean explain, Double cascadePrecision) {
        this(taxonomy, model, mode, strategy, useCache, detail, pack, explain, cascadePrecision, null);
    }

    /** The plan of a validated request. */
    public static Plan of(ValidatedRequest request) {
        return new Plan(request.taxonomy(), request.model(), request.mode(), request.strategy(), request.useCache(),
                request.detail(), request.pack(), request.explain(), request.cascadePrecision());
    }

    /**
     * The same plan for a model call that chooses from {@code shortlist} of the large taxonomy {@code large} instead
     * (empty: the item has no shortlist, a photo without text, and the model walks the tree from its top).
     */
    public Plan shortlisted(Taxonomy shortlist, Large large) {
        return new Plan(shortlist, model, mode, strategy, useCache, detail, pack, explain, cascadePrecision, large);
    }

    /** Whether a model call of this plan may answer "none of these" and walk the taxonomy's tree instead. */
    public boolean walks() {
        return large != null && large.tree() != null;
    }
}
