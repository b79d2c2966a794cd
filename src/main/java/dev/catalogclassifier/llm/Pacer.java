package dev.catalogclassifier.llm;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Keeps one key's calls inside the provider's request and token limits, however much of them the provider tells.
 * <ul>
 * <li><b>Full headers</b> ({@code x-ratelimit-limit/remaining/reset-*}): one {@link RateBucket} each for requests
 * and tokens, synced from every answer.</li>
 * <li><b>The limit alone</b>: the limit spread evenly over its minute.</li>
 * <li><b>No headers</b>: a slow start, as TCP's: at most {@link #START_WINDOW} calls in flight, half a call more
 * per answered call, so the window grows by half each round trip. The first 429 ends it: calls are then paced
 * just below ({@link #BELOW_LIMIT}) the rate the key was seen to admit over the last second, which is the
 * provider's limit, measured (or this pod's share of it, where others use the key too). The pace grows by
 * {@link #GROWTH_PER_SECOND} while calls succeed and is measured again at the next 429 (AIMD): each 429 costs the
 * key its Retry-After, so the growth is slow and 429s are rare.</li>
 * </ul>
 * Before a call, {@link #reserve} takes one request and the call's estimated tokens; after it, the estimate is
 * replaced by what the provider counted.
 */
final class Pacer {

    /**
     * Calls in flight on a key that has said nothing yet about its limits. Every key starts here, headers or not,
     * until its first answer says more. Measured against a header-less provider (bench/ratelimit.sh … none): 2
     * gave 87–89 % of the limit, 4 gave 80–89 % and 8 gave 84 %, because a larger start reaches the first 429
     * before a second of answers has shown the rate the key admits. The price is a new pod's first round trip.
     */
    static final int START_WINDOW = 2;
    /** The share of the measured limit a learnt pace starts at after a 429. */
    static final double BELOW_LIMIT = 0.95;
    /**
     * While no answer comes, the window grows by one call this often anyway: a key whose first calls are slow or
     * hang is slow, not limited, and must not hold back every other call until they time out.
     */
    static final long QUIET_GROWTH_NANOS = 250_000_000L;
    /** A learnt pace's growth per second of successful calls. */
    static final double GROWTH_PER_SECOND = 0.005;
    /** Answers counted to measure the rate a key admits. */
    private static final long METER_NANOS = 1_000_000_000L;

    private final RateBucket requests = new RateBucket();
    private final RateBucket tokens = new RateBucket();
    private int reservedRequests;
    private long reservedTokens;
    private int inFlight;
    /** The slow start's window; unbounded once a limit is known or learnt. */
    private double window = START_WINDOW;
    private long windowSince = System.nanoTime();
    private boolean slowStart = true;
    private final ArrayDeque<Long> answeredAt = new ArrayDeque<>();
    private long lastDecrease;
    private long lastGrowth;
    private long latencyNanos = 100_000_000L;

    /** Takes a call's permits; the answer is how long to wait before sending it. */
    synchronized long reserve(long estimatedTokens, long now) {
        reservedRequests++;
        reservedTokens += estimatedTokens;
        return Math.max(requests.reserve(1, now), tokens.reserve(estimatedTokens, now));
    }

    /** How long a call would wait now, without taking anything; while the window is full, until it may grow. */
    synchronized long wouldWait(long estimatedTokens, long now) {
        if (windowFull(now)) {
            return QUIET_GROWTH_NANOS;
        }
        return Math.max(requests.wouldWait(1, now), tokens.wouldWait(estimatedTokens, now));
    }

    private boolean windowFull(long now) {
        return slowStart && !requests.known() && inFlight + reservedRequests >= Math.floor(window(now));
    }

    /**
     * The slow start's window now: what answers grew it to, and one more for each quiet spell since the last answer
     * (or since the key went from idle to busy).
     */
    private double window(long now) {
        return window + Math.max(0, now - windowSince) / QUIET_GROWTH_NANOS;
    }

    /** The reserved call has been sent: the provider counts it from now on. */
    synchronized void sent(long estimatedTokens) {
        reservedRequests--;
        reservedTokens -= estimatedTokens;
        if (inFlight++ == 0 && slowStart) {
            windowSince = System.nanoTime(); // a quiet spell counts from when calls began to wait for answers
        }
    }

    /** A call given this key's permits was never sent (its item was stopped between its turn and the send). */
    synchronized void withdrawn(long estimatedTokens) {
        inFlight = Math.max(0, inFlight - 1);
        requests.giveBack(1);
        tokens.giveBack(estimatedTokens);
    }

    /**
     * How many live pods share this key. A limit the provider states without saying what is left (the limit-only
     * style) is the key's, not this pod's: each pod paces to its share of it. With full headers every pod reads the
     * same remaining count, and refills at its share of the key's rate between answers.
     */
    private volatile int sharedBy = 1;

    void sharedBy(int pods) {
        sharedBy = Math.max(1, pods);
    }

    synchronized void observe(RateLimits limits, long now) {
        if (limits.requestLimit() > 0 && limits.requestsRemaining() >= 0) {
            requests.sync(limits.requestLimit(), limits.requestsRemaining(), seconds(limits.requestsReset()),
                    reservedRequests, sharedBy, now);
        } else if (limits.requestLimit() > 0) {
            requests.limitOnly(Math.max(1, limits.requestLimit() / sharedBy), now);
        }
        if (limits.tokenLimit() > 0 && limits.tokensRemaining() >= 0) {
            tokens.sync(limits.tokenLimit(), limits.tokensRemaining(), seconds(limits.tokensReset()),
                    reservedTokens, sharedBy, now);
        } else if (limits.tokenLimit() > 0) {
            tokens.limitOnly(Math.max(1, limits.tokenLimit() / sharedBy), now);
        }
    }

    /** The call used {@code actual} tokens where {@code estimated} were reserved, and took {@code latency}. */
    synchronized void answered(long estimated, long actual, long latency, long now) {
        inFlight = Math.max(0, inFlight - 1);
        tokens.giveBack(estimated - actual);
        requests.succeeded();
        tokens.succeeded();
        latencyNanos = (latencyNanos * 7 + latency) / 8;
        answeredAt.addLast(now);
        while (!answeredAt.isEmpty() && answeredAt.peekFirst() < now - METER_NANOS) {
            answeredAt.removeFirst();
        }
        if (slowStart) {
            window = window(now) + 0.5;
            windowSince = now;
        } else if (lastGrowth != 0) {
            requests.grow(GROWTH_PER_SECOND * Math.min(1.0, (now - lastGrowth) / 1e9));
        }
        lastGrowth = now;
    }

    /** A call that got no answer (a failure other than a 429) frees its place in the window. */
    synchronized void unanswered() {
        inFlight = Math.max(0, inFlight - 1);
    }

    /**
     * A 429. With headers, the buckets empty and slow their refill. Without, the pace is set just below the rate
     * the key admitted over the last second (never above the pace it had), once per round trip: the calls already
     * in flight when the limit was hit answer 429 together, and count as one signal.
     */
    synchronized void rateLimited(long now) {
        inFlight = Math.max(0, inFlight - 1);
        requests.rateLimited(now);
        tokens.rateLimited(now);
        if (requests.known() && requests.source() != RateBucket.Source.LEARNT) {
            return;
        }
        while (!answeredAt.isEmpty() && answeredAt.peekFirst() < now - METER_NANOS) {
            answeredAt.removeFirst();
        }
        double admitted = Math.max(1, answeredAt.size()) * BELOW_LIMIT;
        if (slowStart) {
            slowStart = false;
            requests.learn(admitted, now);
            lastDecrease = now;
        } else if (now - lastDecrease > Math.max(latencyNanos, METER_NANOS)) {
            requests.slowTo(admitted, now);
            lastDecrease = now;
        }
    }

    /** What the provider allows the key, as learnt; null where it never said. */
    synchronized ProvidersView.Limits snapshot(long now) {
        ProvidersView.Limit r = limit(requests, now);
        ProvidersView.Limit t = limit(tokens, now);
        return r == null && t == null ? null : new ProvidersView.Limits(r, t);
    }

    /** Calls per second this key's requests limit allows, as far as it is known; NaN when nothing is. */
    synchronized double requestRate() {
        return requests.known() ? requests.rate() : Double.NaN;
    }

    private static ProvidersView.Limit limit(RateBucket bucket, long now) {
        if (!bucket.known()) {
            return null;
        }
        return new ProvidersView.Limit(Math.round(bucket.limitPerMinute()), (long) Math.floor(bucket.content(now)),
                Math.round(bucket.rate() * 60), bucket.source().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static double seconds(Duration d) {
        return d == null ? 0 : d.toNanos() / 1e9;
    }
}
