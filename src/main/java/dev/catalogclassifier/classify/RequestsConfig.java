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

    /** Most categories in one taxonomy. */
    @WithDefault("500")
    int maxCategories();

    /** Categories used when a request sends no {@code taxonomy}: the furniture catalogue's. */
    List<String> defaultTaxonomy();
}
