package dev.catalogclassifier.llm;

/**
 * One of a key's rate limits (requests, or tokens) as a token bucket we keep in step with the provider's own.
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

    private double capacity = Double.NaN;
    private double perSecond = Double.NaN;
    private double content;
    private double factor = 1.0;
    private double usedSum;
    private double resetSum;
    private long refilledAt;

    boolean known() {
        return !Double.isNaN(capacity);
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
     * yet sent: the provider cannot have counted it.
     */
    void sync(long limit, long remaining, double resetSeconds, double reserved, long now) {
        if (limit <= 0) {
            return;
        }
        if (!known()) {
            content = remaining - reserved;
            refilledAt = now;
        }
        capacity = limit;
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
        // the provider has less left than we think: someone else uses this key too
        content = Math.min(content, remaining - reserved);
    }

    /** A 429: nothing is left, and the refill is slowed until calls succeed again. */
    void rateLimited(long now) {
        if (!known()) {
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

    double content(long now) {
        if (known()) {
            refill(now);
        }
        return content;
    }

    /** Permits per second granted now: the learnt rate after AIMD. */
    double rate() {
        return perSecond * factor;
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
