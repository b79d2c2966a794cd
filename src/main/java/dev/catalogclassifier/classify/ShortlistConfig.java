package dev.catalogclassifier.classify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Taxonomies too large for one prompt. Each item's first model call sees only the categories the in-process embedding
 * model finds likeliest for it (its shortlist), and, when the categories are paths, a way out ("None of these") that
 * walks the taxonomy's tree instead: Google's 5,595 categories in every prompt would cost some 60,000 tokens an item,
 * and no model chooses well among that many.
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
     * Categories on an item's shortlist ({@code CLASSIFIER_SHORTLIST_SIZE}): its first model call's {@code enum} and
     * prompt hold these (and the way out). On ikea-dev against Google's taxonomy, 25 hold the right subtree for the
     * share of items docs/benchmarks.md gives; the walk finds the rest.
     */
    @WithDefault("25")
    int size();

}
