package dev.catalogclassifier.cascade;

/**
 * What a stored taxonomy says of its cascade.
 *
 * @param precision the precision it aims at unless a request names one; null for the service's default
 * @param calibration its calibration; null when it has none (no examples, too few groups)
 */
public record Cascade(Double precision, Calibration calibration) {

    /** An inline list's: nothing said, nothing calibrated. */
    public static final Cascade NONE = new Cascade(null, null);
}
