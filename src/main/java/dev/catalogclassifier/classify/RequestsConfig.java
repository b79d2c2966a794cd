package dev.catalogclassifier.classify;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits on what one classification request may carry, and the taxonomy used when it names none. */
@ConfigMapping(prefix = "classifier.requests")
public interface RequestsConfig {

    /** Most items in one synchronous request; larger batches belong in a job. */
    @WithDefault("1000")
    int maxItems();

    /** Longest item id. */
    @WithDefault("128")
    int maxIdLength();

    /** Longest name, description or attribute value, in characters. */
    @WithDefault("10000")
    int maxTextLength();

    /**
     * Most categories in one taxonomy, inline or named. Above {@code classifier.shortlist.threshold} each item's
     * model call sees only its shortlist, so the size costs embedding time once per taxonomy, not prompt tokens.
     */
    @WithDefault("50000")
    int maxCategories();

    /** Longest category name, in characters: a full path such as {@code Furniture > Chairs > Table & Bar Stools}. */
    @WithDefault("500")
    int maxCategoryLength();

    /** Categories used when a request sends no {@code taxonomy}: the furniture catalogue's. */
    List<String> defaultTaxonomy();
}
