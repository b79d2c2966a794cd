package dev.catalogclassifier.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider could not give an answer. {@code status} is its HTTP status (0 when none came back);
 * the message is ours and never repeats the provider's body, which can echo part of an API key.
 */
public abstract sealed class ProviderException extends RuntimeException
        permits ProviderException.Retryable, ProviderException.Rejected, ProviderException.Down {

    private final int status;

    ProviderException(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * 429, 5xx or a broken connection: worth another attempt, after {@link #retryAfter()} if the provider said.
     * A failover is worth it at once: the failure belonged to one key, and another key is ready.
     */
    public static final class Retryable extends ProviderException {
        private final Duration retryAfter;
        private final boolean failover;

        public Retryable(int status, Duration retryAfter, String message, Throwable cause) {
            this(status, retryAfter, message, cause, false);
        }

        private Retryable(int status, Duration retryAfter, String message, Throwable cause, boolean failover) {
            super(status, message, cause);
            this.retryAfter = retryAfter;
            this.failover = failover;
        }

        /** The same failure, to be retried straight away on another key. */
        static Retryable failover(ProviderException e) {
            return new Retryable(e.status(), Duration.ZERO, e.getMessage(), e.getCause(), true);
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        public boolean failover() {
            return failover;
        }
    }

    /** 400, 401, 403, 404…: the same request would fail again, so it is never retried. */
    public static final class Rejected extends ProviderException {
        public Rejected(int status, String message) {
            super(status, message, null);
        }
    }

    /**
     * Every provider that serves the call's model stayed down for longer than its item's patience
     * ({@code classifier.llm.outage.*-patience}): the item fails as {@code provider_unreachable}, and a job's
     * {@code POST /retry} sends it again. Never retried here: the wait was the retry.
     */
    public static final class Down extends ProviderException {
        public Down(java.time.Duration patience) {
            super(0, "the provider stayed down longer than the item may wait (" + patience.toSeconds() + " s)", null);
        }
    }
}
