package dev.catalogclassifier.llm;

/**
 * One of a key's rate limits (requests, or tokens) as a token bucket we keep in step with the provider's own.
 * It learns the bucket in one of three ways, the best the provider allows: from full headers (below), from a
 * limit header alone ({@link #limitOnly}: the limit spread evenly over its minute, no bursts, since a per-minute
 * limit may be enforced over a second), or, with no headers at all, from 429s ({@link #learn}).
 * The provider tells us the bucket in every answer: {@code x-ratelimit-limit-*} is its size, {@code remaining-*}
 * its content and {@code reset-*} the time until it is full again, so (limit − remaining) / reset is its refill
 * rate. Until the first answer says anything, nothing is paced.
 * <p>
 * Reservations are taken in advance, as Guava's RateLimiter does: a caller takes its permits now, which may
 * drive the content below zero, and waits until the refill covers them. Waiting callers therefore queue in
 * order instead of waking together. On a 429 the refill rate is halved (multiplicative decrease) and it grows
 * back by a twentieth of the learnt rate per answered call (additive increase), for limits the headers do not
 * show, such as other clients sharing the key.
 * Not thread-safe on its own; {@link Pacer} guards it.
 */
final class RateBucket {

    private static final double MIN_FACTOR = 0.05;
    private static final double INCREASE = 0.05;
    /** How fast old header readings fade from the learnt refill rate. */
    private static final double DECAY = 0.9;
    /**
     * The share of a limit-only key's limit we use: sends spaced at exactly the limit collide with a short
     * window's edge now and then (network jitter moves one send into the next window's count); 3 % less never do.
     */
    static final double LIMIT_ONLY_MARGIN = 0.97;

    /** Where the bucket's size and rate come from. */
    enum Source {
        /** Nothing said yet: not paced. */
        NONE, HEADERS, LIMIT_ONLY, LEARNT
    }

    private Source source = Source.NONE;
    /** The limit the provider stated (a limit-only key's), or NaN. */
    private double stated = Double.NaN;

    private double capacity = Double.NaN;
    private double perSecond = Double.NaN;
    private double content;
    private double factor = 1.0;
    private double usedSum;
    private double resetSum;
    private long refilledAt;
    /** Pods using the key (full headers): each refills at its share of the key's rate. */
    private int shares = 1;

    boolean known() {
        return !Double.isNaN(capacity);
    }

    Source source() {
        return source;
    }

    /**
     * Only {@code x-ratelimit-limit-*} was sent: the limit per minute, spread evenly (a bucket of one), since
     * nothing tells how short a window the provider enforces it over. Full headers, once seen, take precedence.
     */
    void limitOnly(long limit, long now) {
        if (limit <= 0 || source == Source.HEADERS) {
            return;
        }
        if (source != Source.LIMIT_ONLY || perSecond != limit / 60.0 * LIMIT_ONLY_MARGIN) {
            source = Source.LIMIT_ONLY;
            stated = limit;
            capacity = 1;
            perSecond = limit / 60.0 * LIMIT_ONLY_MARGIN;
            content = Math.min(content, 1);
            refilledAt = now;
            factor = 1.0;
        }
    }

    /**
     * A provider that sends no rate-limit headers answered 429: from now on calls are paced at {@code perSecond},
     * the rate it was seen to admit, in a bucket of a tenth of a second's calls. Never overrides headers.
     */
    void learn(double rate, long now) {
        if (source == Source.HEADERS || source == Source.LIMIT_ONLY) {
            return;
        }
        source = Source.LEARNT;
        perSecond = Math.max(0.1, rate);
        capacity = Math.max(1, perSecond / 10);
        content = 0;
        refilledAt = now;
        factor = 1.0;
    }

    /** A learnt key's additive increase: its rate grows by {@code share} of itself. */
    void grow(double share) {
        if (source == Source.LEARNT) {
            perSecond *= 1 + share;
            capacity = Math.max(1, perSecond / 10);
        }
    }

    /** A learnt key's decrease after a 429: to {@code rate}, the rate just measured, if that is lower. */
    void slowTo(double rate, long now) {
        if (source == Source.LEARNT) {
            refill(now);
            perSecond = Math.max(0.1, Math.min(perSecond * Pacer.BELOW_LIMIT, rate));
            capacity = Math.max(1, perSecond / 10);
            content = Math.min(content, 0);
        }
    }

    /** Takes {@code amount} and returns how long to wait, in nanoseconds, before using it. */
    long reserve(double amount, long now) {
        if (!known()) {
            return 0;
        }
        refill(now);
        content -= amount;
        return waitNanos(now);
    }

    /** How long a reservation of {@code amount} would wait now, without taking it. */
    long wouldWait(double amount, long now) {
        if (!known()) {
            return 0;
        }
        refill(now);
        double missing = amount - content;
        return missing <= 0 ? 0 : (long) (missing / rate() * 1e9);
    }

    /** Gives back what a reservation took but did not use (a call never sent, or fewer tokens than estimated). */
    void giveBack(double amount) {
        if (known()) {
            content = Math.min(capacity, content + amount);
        }
    }

    /**
     * Brings the bucket in line with the provider's headers. {@code reserved} is what callers have taken but not
     * yet sent: the provider cannot have counted it. {@code pods} share the key and every one reads the same
     * {@code remaining}: each takes its share of what is left and refills at its share of the key's rate, or the
     * pods together would spend what is left once per pod, and refill an empty bucket once per pod.
     */
    void sync(long limit, long remaining, double resetSeconds, double reserved, int pods, long now) {
        if (limit <= 0) {
            return;
        }
        if (known() && source == Source.HEADERS) {
            refill(now); // what accrued so far, at the share it accrued at
        }
        shares = shares(pods);
        double left = (double) remaining / shares(pods);
        if (source != Source.HEADERS) {
            source = Source.HEADERS;
            content = left - reserved;
            refilledAt = now;
            perSecond = Double.NaN;
            factor = 1.0;
        }
        capacity = (double) limit / shares; // this pod's share: idle, it must not save up the whole key's bucket
        if (remaining < limit - 1 && resetSeconds > 0) {
            // remaining is rounded down and reset to the millisecond, so the true rate lies between
            // (used - 1) / (reset + 1 ms) and used / reset: take the lower bound, never to outrun the provider.
            // Summing readings weighs each by its deficit, where that rounding matters least.
            usedSum = usedSum * DECAY + (limit - remaining - 1);
            resetSum = resetSum * DECAY + resetSeconds + 0.001;
            perSecond = Math.min(limit, usedSum / resetSum);
        } else if (Double.isNaN(perSecond)) {
            perSecond = limit / 60.0; // OpenAI's limits are per minute
        }
        refill(now);
        // the provider has less left than we think: someone else uses this key too. remaining is rounded down, so
        // only a whole request less counts: clamping to it at every answer would throw away the fraction refilled
        // since, and a pod answered often would fall far behind the key's rate
        if (left - reserved < content - 1) {
            content = left - reserved;
        }
    }

    private static int shares(int pods) {
        return Math.max(1, pods);
    }

    /** A 429 on a key whose limits the headers show: nothing is left, and the refill is slowed until calls succeed. */
    void rateLimited(long now) {
        if (!known() || source == Source.LEARNT) {
            return;
        }
        refill(now);
        content = Math.min(content, 0);
        factor = Math.max(MIN_FACTOR, factor / 2);
    }

    void succeeded() {
        factor = Math.min(1.0, factor + INCREASE);
    }

    double capacity() {
        return capacity;
    }

    /** The limit per minute as the provider stated it, or as learnt: what an operator compares with the plan. */
    double limitPerMinute() {
        return switch (source) {
            case HEADERS -> capacity * shares;
            case LIMIT_ONLY -> stated;
            default -> rate() * 60;
        };
    }

    double content(long now) {
        if (known()) {
            refill(now);
        }
        return content;
    }

    /** Permits per second granted now: the learnt rate after AIMD. */
    double rate() {
        return perSecond * factor / (source == Source.HEADERS ? shares : 1);
    }

    private long waitNanos(long now) {
        return content >= 0 ? 0 : (long) (-content / rate() * 1e9);
    }

    private void refill(long now) {
        if (now > refilledAt) {
            content = Math.min(capacity, content + (now - refilledAt) / 1e9 * rate());
            refilledAt = now;
        }
    }
}
