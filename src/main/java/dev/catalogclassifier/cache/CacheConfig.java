package dev.catalogclassifier.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The result cache. */
@ConfigMapping(prefix = "classifier.cache")
public interface CacheConfig {

    /**
     * Answer items whose prompt was answered before from the database, at no cost. Requests can still opt out
     * with {@code "cache": false}.
     */
    @WithDefault("true")
    boolean enabled();

    /** How long a stored answer is reused; older ones are removed, so the table does not grow forever. */
    @WithDefault("P90D")
    java.time.Duration retention();
}
