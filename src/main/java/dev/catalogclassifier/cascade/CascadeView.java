package dev.catalogclassifier.cascade;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a taxonomy's cascade promises at its precision, as its grouped cross-validation estimates it: where it
 * settles items locally, the share it settles, and their precision with its 95 % interval. Without a calibration
 * only the target and the fixed threshold are known.
 *
 * @param threshold the local classifier's confidence from which an item is settled locally; null when none is
 *        (no held-out outcome reached the target)
 * @param calibratedOn the held-out examples the estimate rests on (fewer than {@code examples} when sampled)
 * @param headShare the supervised head's share in the local score at this precision, the neighbour vote having the
 *        rest, as the calibration chose it; null when the taxonomy has no head (too large, or not calibrated)
 */
@RegisterForReflection
public record CascadeView(double precision, Double threshold, boolean calibrated, Double settledShare,
        Double estimatedPrecision, Interval estimatedPrecisionInterval, Integer examples, Integer calibratedOn,
        Integer folds, String groupedBy, Boolean sampled, Double headShare) {

    /** A 95 % interval. */
    @RegisterForReflection
    public record Interval(double low, double high) {
    }

    /** {@code t}, read for its taxonomy's {@code cascade}. */
    public static CascadeView of(CascadeThreshold t, Cascade cascade) {
        Double threshold = t.threshold() > 1 ? null : round(t.threshold());
        Calibration c = t.calibration();
        if (c == null) {
            return new CascadeView(t.target(), threshold, false, null, null, null, null, null, null, null, null, null);
        }
        boolean any = !Double.isNaN(t.precision());
        return new CascadeView(t.target(), threshold, true, round(t.settledShare()), any ? round(t.precision()) : null,
                any ? new Interval(round(t.precisionLow()), round(t.precisionHigh())) : null, c.examples(),
                c.confidences().length, c.folds(), c.groupedBy().wireName(), c.sampled(),
                cascade.hasHead() ? round(1 - t.voteShare()) : null);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
