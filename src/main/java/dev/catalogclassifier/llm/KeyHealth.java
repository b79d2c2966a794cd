package dev.catalogclassifier.llm;

import java.time.Duration;
import java.time.Instant;

/**
 * How one API key has been doing lately. The score is an exponentially weighted success rate (1 = every recent
 * call answered), so a key that starts failing drops out of the front rank within a few calls and climbs back as
 * it recovers. A 429 puts the key in cooldown until the provider's reset time, without lowering the score; a 401
 * or 403 takes it out of the rotation for good (until restart), since a revoked key does not heal.
 */
final class KeyHealth {

    /** Weight of the latest call in the score: about the last ten calls count. */
    private static final double ALPHA = 0.1;

    private double score = 1.0;
    private Instant coolUntil = Instant.EPOCH;
    private String disabledBecause;
    private long calls;
    private long failures;

    synchronized void succeeded() {
        calls++;
        score += ALPHA * (1 - score);
    }

    synchronized void failed() {
        calls++;
        failures++;
        score -= ALPHA * score;
    }

    /**
     * A 429: no call on this key before {@code wait} has passed. It says the key is busy, not broken, so the
     * score stays: a key would otherwise drop out of the front rank for being used to its limit.
     */
    synchronized void coolDown(Duration wait, Instant now) {
        calls++;
        failures++;
        Instant until = now.plus(wait);
        if (until.isAfter(coolUntil)) {
            coolUntil = until;
        }
    }

    /** A 401 or 403: the key is refused, and leaves the rotation. */
    synchronized void disable(String reason) {
        calls++;
        failures++;
        score = 0;
        disabledBecause = reason;
    }

    synchronized boolean disabled() {
        return disabledBecause != null;
    }

    synchronized Instant coolUntil() {
        return coolUntil;
    }

    synchronized double score() {
        return score;
    }

    synchronized Snapshot snapshot(Instant now) {
        String state = disabledBecause != null ? "disabled" : now.isBefore(coolUntil) ? "cooling" : "active";
        return new Snapshot(state, score, now.isBefore(coolUntil) ? coolUntil : null, disabledBecause, calls, failures);
    }

    /** What {@code GET /api/v1/providers} shows of a key's health. */
    record Snapshot(String state, double score, Instant coolingUntil, String disabledReason, long calls, long failures) {
    }
}
