package dev.catalogclassifier.llm;

import java.time.Duration;

/**
 * A provider's error status and its wait (Retry-After, or the reset of an exhausted limit), as
 * {@link ProviderClient} read them from the answer's headers; the body is never kept, since it can quote the key.
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
