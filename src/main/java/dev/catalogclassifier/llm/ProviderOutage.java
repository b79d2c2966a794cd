package dev.catalogclassifier.llm;

import java.time.Instant;

import io.quarkus.logging.Log;

/**
 * The circuit breaker of one provider, shared by all its keys. A provider at which {@code failuresToOpen}
 * different calls in a row fail as an outage does (no connection, a timeout, 5xx or 408), on any of its keys and
 * with no answer between, is <b>down</b>. Different calls, because one item the provider cannot answer (a 500 or a
 * hang for that request alone) fails again and again while every other item gets its answer: that is the item's
 * failure, and its retries settle it. While down, its keys take no calls, and the calls waiting for them stay in
 * {@link ModelCallScheduler}'s queues instead of failing. While it is down one call at a time probes it, the first
 * after {@code firstProbeNanos}, then at twice the wait after each failed probe up to {@code maxProbeNanos}; the
 * first answer (of any kind: a provider that answers is up) closes the breaker and the waiting calls go.
 * <p>
 * SmallRye Fault Tolerance's {@code @CircuitBreaker} guards one method for every caller; this one is per provider,
 * lets the scheduler ask how long to wait instead of failing calls fast, and counts failures across keys. Times are
 * {@link System#nanoTime()}.
 */
final class ProviderOutage {

    private final String provider;
    private final int failuresToOpen;
    private final long firstProbeNanos;
    private final long maxProbeNanos;
    /** The calls that failed in a row since the last answer, by identity; empty while down. */
    private final java.util.Set<Object> failedCalls = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private Instant downSince;
    private long probeWaitNanos;
    private long nextProbeAt;
    private boolean probing;

    ProviderOutage(String provider, LlmConfig.Outage config) {
        this(provider, config.failuresToOpen(), config.firstProbe().toNanos(), config.maxProbe().toNanos());
    }

    ProviderOutage(String provider, int failuresToOpen, long firstProbeNanos, long maxProbeNanos) {
        this.provider = provider;
        this.failuresToOpen = Math.max(1, failuresToOpen);
        this.firstProbeNanos = firstProbeNanos;
        this.maxProbeNanos = Math.max(firstProbeNanos, maxProbeNanos);
    }

    /** The provider answered (a well-formed answer or not, a 4xx or a 429): it is up. */
    synchronized void answered() {
        failedCalls.clear();
        probing = false;
        if (downSince != null) {
            Log.infof("Provider %s answers again after %d s down: its waiting calls go", provider,
                    java.time.Duration.between(downSince, Instant.now()).toSeconds());
            downSince = null;
        }
    }

    /**
     * {@code call} (an item's {@link ModelCall}) failed as an outage does; opens the breaker at the threshold, or puts
     * the next probe further off.
     */
    synchronized void failed(Object call, long now) {
        if (downSince != null) {
            if (probing) {
                probing = false;
                probeWaitNanos = Math.min(maxProbeNanos, probeWaitNanos * 2);
                nextProbeAt = now + probeWaitNanos;
            }
            return;
        }
        failedCalls.add(call);
        if (failedCalls.size() >= failuresToOpen) {
            failedCalls.clear();
            downSince = Instant.now();
            probeWaitNanos = firstProbeNanos;
            nextProbeAt = now + probeWaitNanos;
            Log.warnf("Provider %s is down (%d different calls in a row failed as an outage does): its calls wait, "
                    + "and one call at a time probes it", provider, failuresToOpen);
        }
    }

    /** A call given a key of this provider ended unsent or cancelled: a probe it was is no longer out. */
    synchronized void released() {
        probing = false;
    }

    synchronized boolean down() {
        return downSince != null;
    }

    /** Since when it is down; null when it is up. */
    synchronized Instant downSince() {
        return downSince;
    }

    /** Nanoseconds until a key of this provider may take a call: 0 when up or when a probe may go now. */
    synchronized long untilCall(long now) {
        if (downSince == null) {
            return 0;
        }
        if (probing) {
            return probeWaitNanos; // the probe's answer wakes the dispatcher sooner
        }
        return Math.max(0, nextProbeAt - now);
    }

    /** A key of this provider was leased: while it is down, that call is the probe. */
    synchronized void leased() {
        if (downSince != null) {
            probing = true;
        }
    }
}
