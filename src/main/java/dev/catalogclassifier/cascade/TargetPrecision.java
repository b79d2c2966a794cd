package dev.catalogclassifier.cascade;

/**
 * What a cascade's target precision may be, wherever a caller names one (a taxonomy's PUT, a request or job, the
 * taxonomy's {@code GET ?precision=}): a share strictly between 0 and 1.
 */
public final class TargetPrecision {

    /** What a caller is told when the precision named is not one. */
    public static final String INVALID = "must be a share between 0 and 1, such as 0.97";

    private TargetPrecision() {
    }

    public static boolean isValid(double precision) {
        return precision > 0 && precision < 1;
    }
}
