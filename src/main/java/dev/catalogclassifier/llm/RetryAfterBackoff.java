package dev.catalogclassifier.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff with "equal jitter" (half fixed, half random, so retries of many items spread out
 * instead of hitting the provider in waves), which yields to the provider's own Retry-After when it sends one:
 * retrying earlier than that only buys another 429.
 * SmallRye Fault Tolerance makes one instance per guarded invocation, so the attempt count is per item.
 */
public class RetryAfterBackoff implements CustomBackoffStrategy {

    /** No single wait longer than this, whatever the provider asks; the retry's max duration still applies. */
    static final long MAX_DELAY_MS = 60_000;

    private long baseMs;
    private int attempt;

    @Override
    public void init(long initialDelayInMillis) {
        this.baseMs = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable failure) {
        if (failure instanceof ProviderException.Retryable r && r.failover()) {
            return 0; // another key is ready; the failed one rests in the pool, not here
        }
        long exponential = Math.min(MAX_DELAY_MS, baseMs << Math.min(attempt++, 20));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        long providerAsked = failure instanceof ProviderException.Retryable r
                ? r.retryAfter().map(Duration::toMillis).orElse(0L)
                : 0L;
        return Math.min(MAX_DELAY_MS, Math.max(jittered, providerAsked));
    }
}
