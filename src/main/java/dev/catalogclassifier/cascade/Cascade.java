package dev.catalogclassifier.cascade;

import java.util.List;

/**
 * What a stored taxonomy says of its cascade.
 *
 * @param precision the precision it aims at unless a request names one; null for the service's default
 * @param calibrations its calibrations, one per share of the neighbour vote in the local score (the supervised head
 *        has the rest); only the vote's when it has no head, none when it could not be calibrated (no examples, too
 *        few groups)
 * @param feedback what the caller's feedback said of the LLM's answers in it
 */
public record Cascade(Double precision, List<Calibration> calibrations, Feedback feedback) {

    /** An inline list's: nothing said, nothing calibrated. */
    public static final Cascade NONE = new Cascade(null, List.of());

    public Cascade {
        calibrations = List.copyOf(calibrations);
        feedback = feedback == null ? Feedback.NONE : feedback;
    }

    /** A cascade no feedback has spoken of yet. */
    public Cascade(Double precision, List<Calibration> calibrations) {
        this(precision, calibrations, Feedback.NONE);
    }

    /** Answers of the LLM the caller confirmed, and those it corrected. */
    public record Feedback(int confirmed, int corrected) {

        public static final Feedback NONE = new Feedback(0, 0);
        /** How many answers the configured prior counts as: feedback outweighs it once there is more than this. */
        static final int PRIOR_WEIGHT = 20;

        /**
         * The LLM's precision in this taxonomy: {@code prior} (the configured assumption) counted as
         * {@link #PRIOR_WEIGHT} answers, plus what the caller confirmed and corrected.
         */
        public double precision(double prior) {
            return (confirmed + PRIOR_WEIGHT * prior) / (confirmed + corrected + PRIOR_WEIGHT);
        }
    }

    /** Whether a supervised head was calibrated beside the vote. */
    public boolean hasHead() {
        return calibrations.stream().anyMatch(c -> c.voteShare() < 1);
    }
}
