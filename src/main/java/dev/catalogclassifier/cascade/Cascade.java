package dev.catalogclassifier.cascade;

import java.util.List;

/**
 * What a stored taxonomy says of its cascade.
 *
 * @param precision the precision it aims at unless a request names one; null for the service's default
 * @param calibrations its calibrations, one per share of the neighbour vote in the local score (the supervised head
 *        has the rest); only the vote's when it has no head, none when it could not be calibrated (no examples, too
 *        few groups)
 */
public record Cascade(Double precision, List<Calibration> calibrations) {

    /** An inline list's: nothing said, nothing calibrated. */
    public static final Cascade NONE = new Cascade(null, List.of());

    public Cascade {
        calibrations = List.copyOf(calibrations);
    }

    /** Whether a supervised head was calibrated beside the vote. */
    public boolean hasHead() {
        return calibrations.stream().anyMatch(c -> c.voteShare() < 1);
    }
}
