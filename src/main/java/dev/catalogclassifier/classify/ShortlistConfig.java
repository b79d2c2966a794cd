package dev.catalogclassifier.classify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Taxonomies too large for one prompt. Each item's model call sees only the categories the in-process embedding
 * model finds likeliest for it (its shortlist): Google's 5,595 categories in every prompt would cost some 60,000
 * tokens an item, and no model chooses well among that many.
 */
@ConfigMapping(prefix = "classifier.shortlist")
public interface ShortlistConfig {

    /**
     * Taxonomies with more categories than this are shortlisted per item ({@code CLASSIFIER_SHORTLIST_THRESHOLD});
     * smaller ones go to the model whole.
     */
    @WithDefault("50")
    int threshold();

    /**
     * Categories on an item's shortlist ({@code CLASSIFIER_SHORTLIST_SIZE}): its model call's {@code enum} and
     * prompt hold these. On ikea-dev against Google's taxonomy, 25 hold the right subtree for the share of items
     * docs/benchmarks.md gives.
     */
    @WithDefault("25")
    int size();

}
