package dev.catalogclassifier.problem;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The limits on a request's line and headers that {@link HttpLimits} answers with a problem. The HTTP decoder's own
 * limits ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set well above these,
 * since it answers with an empty body.
 */
@ConfigMapping(prefix = "classifier.http")
public interface HttpLimitsConfig {

    /** Longest request URI (path and query) in characters; longer ones are answered 414. */
    @WithDefault("4096")
    int maxUriLength();

    /** Most bytes of request headers, names and values together; more is answered 431. */
    @WithDefault("20480")
    int maxHeaderBytes();
}
