package dev.catalogclassifier.classify;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a cascade settled locally, in a request's summary or a job's report: how many items, their estimated
 * precision (the mean of each one's calibrated chance of being right; null when none was settled or the taxonomy
 * has no calibration), and the tokens and dollars of the LLM calls they did not need, as the price table estimates
 * a question about each.
 */
@RegisterForReflection
public record CascadeReport(int settledLocally, Double estimatedPrecision, long tokensSaved, double costSavedUsd) {

    /** Adds items up as they finish; not thread-safe (its owner counts under its own lock). */
    public static final class Tally {
        private int settled;
        private int calibrated;
        private double chanceSum;
        private long tokens;
        private double usd;

        public void add(ItemResult.Saving saving) {
            settled++;
            if (!Double.isNaN(saving.chanceRight())) {
                calibrated++;
                chanceSum += saving.chanceRight();
            }
            tokens += saving.tokens();
            usd += saving.usd();
        }

        public CascadeReport report() {
            return of(settled, calibrated, chanceSum, tokens, usd);
        }
    }

    /** From running sums: {@code calibrated} of the {@code settled} had a chance, summing to {@code chanceSum}. */
    public static CascadeReport of(int settled, int calibrated, double chanceSum, long tokens, double usd) {
        Double precision = calibrated == 0 ? null : Math.round(chanceSum / calibrated * 10_000) / 10_000.0;
        return new CascadeReport(settled, precision, tokens, usd);
    }
}
