package dev.catalogclassifier.cascade;

/**
 * Where a cascade settles items locally for a target precision, and what the taxonomy's cross-validation expects of
 * it: the share of items settled, and the precision of those, with its 95 % interval.
 *
 * @param calibration what it was read from; null when the taxonomy could not be calibrated (no examples)
 * @param curve the calibration's chance of being right at each confidence; null without a calibration
 */
public record CascadeThreshold(double target, double threshold, double settledShare, double precision,
        double precisionLow, double precisionHigh, Calibration calibration, Calibration.Curve curve) {

    /** Above every confidence: nothing is settled locally. */
    static final double NEVER = 1.01;

    static CascadeThreshold nothingSettled(double target, Calibration calibration, Calibration.Curve curve) {
        return new CascadeThreshold(target, NEVER, 0, Double.NaN, Double.NaN, Double.NaN, calibration, curve);
    }

    /** A fixed threshold with no estimate: a taxonomy without examples cannot be calibrated. */
    public static CascadeThreshold uncalibrated(double target, double threshold) {
        return new CascadeThreshold(target, threshold, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null);
    }

    /** The calibrated chance that an item settled at {@code confidence} is right; NaN without a calibration. */
    public double chanceRight(double confidence) {
        return curve == null ? Double.NaN : curve.at(confidence);
    }

    /** The neighbour vote's share in the local score the threshold applies to (1 without a calibration). */
    public double voteShare() {
        return calibration == null ? 1 : calibration.voteShare();
    }

    public boolean calibrated() {
        return calibration != null;
    }

    /** Whether an item the local classifier is {@code confidence} sure of is settled without the LLM. */
    public boolean settles(double confidence) {
        return confidence >= threshold;
    }
}
