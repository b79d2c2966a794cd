package dev.catalogclassifier.review;

/**
 * How sure the service is of one result, and whether someone should look at it.
 *
 * @param chance the calibrated chance that the category is right; null where nothing calibrated says it (an inline
 *        list, a taxonomy without enough examples to calibrate, a photo answer)
 * @param review whether someone should look at it: it is among the least sure results, which are marked so that those
 *        left reach the precision asked (the request's or job's, else the taxonomy's, else the service's); without a
 *        calibration, whether the local classifier casts doubt on it
 */
public record Verdict(Double chance, boolean review) {

    /** Nothing to judge it by, and nothing against it. */
    public static final Verdict UNJUDGED = new Verdict(null, false);

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
