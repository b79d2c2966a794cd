package dev.catalogclassifier.llm;

import java.time.Duration;

/**
 * Keeps one key's calls inside the provider's request and token limits: one {@link RateBucket} for each, synced
 * from the rate-limit headers of every answer. Before a call, {@link #reserve} takes one request and the call's
 * estimated tokens and says how long to wait; after it, the estimate is replaced by what the provider counted.
 */
final class Pacer {

    private final RateBucket requests = new RateBucket();
    private final RateBucket tokens = new RateBucket();
    private int reservedRequests;
    private long reservedTokens;

    /** Takes a call's permits; the answer is how long to wait before sending it. */
    synchronized long reserve(long estimatedTokens, long now) {
        reservedRequests++;
        reservedTokens += estimatedTokens;
        return Math.max(requests.reserve(1, now), tokens.reserve(estimatedTokens, now));
    }

    synchronized long wouldWait(long estimatedTokens, long now) {
        return Math.max(requests.wouldWait(1, now), tokens.wouldWait(estimatedTokens, now));
    }

    /** The reserved call has been sent: the provider counts it from now on. */
    synchronized void sent(long estimatedTokens) {
        reservedRequests--;
        reservedTokens -= estimatedTokens;
    }

    /** The reserved call was never sent (the item was cancelled while waiting). */
    synchronized void withdrawn(long estimatedTokens) {
        sent(estimatedTokens);
        requests.giveBack(1);
        tokens.giveBack(estimatedTokens);
    }

    synchronized void observe(RateLimits limits, long now) {
        if (limits.requestLimit() > 0 && limits.requestsRemaining() >= 0) {
            requests.sync(limits.requestLimit(), limits.requestsRemaining(), seconds(limits.requestsReset()),
                    reservedRequests, now);
        }
        if (limits.tokenLimit() > 0 && limits.tokensRemaining() >= 0) {
            tokens.sync(limits.tokenLimit(), limits.tokensRemaining(), seconds(limits.tokensReset()),
                    reservedTokens, now);
        }
    }

    /** The call used {@code actual} tokens where {@code estimated} were reserved. */
    synchronized void answered(long estimated, long actual) {
        tokens.giveBack(estimated - actual);
        requests.succeeded();
        tokens.succeeded();
    }

    synchronized void rateLimited(long now) {
        requests.rateLimited(now);
        tokens.rateLimited(now);
    }

    /** What the provider allows the key, as learnt; null where it never said. */
    synchronized ProvidersView.Limits snapshot(long now) {
        ProvidersView.Limit r = limit(requests, now);
        ProvidersView.Limit t = limit(tokens, now);
        return r == null && t == null ? null : new ProvidersView.Limits(r, t);
    }

    private static ProvidersView.Limit limit(RateBucket bucket, long now) {
        if (!bucket.known()) {
            return null;
        }
        return new ProvidersView.Limit((long) bucket.capacity(), (long) Math.floor(bucket.content(now)),
                Math.round(bucket.rate() * 60));
    }

    private static double seconds(Duration d) {
        return d == null ? 0 : d.toNanos() / 1e9;
    }
}
