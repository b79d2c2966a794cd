package dev.catalogclassifier.llm;

import java.time.Duration;

/**
 * Carries a provider's error status and its Retry-After out of the REST client. quarkus-langchain4j turns error
 * responses into an exception that keeps only status and body, so {@link ProviderResponseFilter} throws this
 * one first, while the headers are still at hand.
 */
final class ProviderHttpException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    ProviderHttpException(int status, Duration retryAfter) {
        super("provider answered HTTP " + status, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    int status() {
        return status;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
