package dev.catalogclassifier.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.cascade.Calibration;
import dev.catalogclassifier.cascade.Cascade;
import dev.catalogclassifier.cascade.CascadeThreshold;
import dev.catalogclassifier.cascade.Evidence;
import dev.catalogclassifier.cascade.GroupBy;

/** How results are judged, from a calibration whose held-out outcomes are known exactly. */
class JudgeTest {

    /**
     * 100 held-out examples: confidence 0.1 to 1.0 in tenths, right from 0.6 up. The local classifier scored their right
     * categories 0.5-0.7 (60), 0.2-0.35 (25) or under 0.002 (15), and the 1,600 others under 0.002 (1,500), 0.2-0.35 (60)
     * or 0.5-0.7 (40).
     */
    private static Calibration calibration() {
        float[] confidences = new float[100];
        boolean[] correct = new boolean[100];
        for (int i = 0; i < 100; i++) {
            confidences[i] = (i % 10 + 1) / 10f;
            correct[i] = confidences[i] >= 0.6f;
        }
        long[] right = new long[Evidence.BINS];
        long[] others = new long[Evidence.BINS];
        right[9] = 60;
        right[7] = 25;
        right[0] = 15;
        others[0] = 1500;
        others[7] = 60;
        others[9] = 40;
        return new Calibration(confidences, correct, 5, GroupBy.NAME, 100, 1, new Evidence(right, others));
    }

    private static Judge judge(double target) {
        return new Judge(calibration().thresholdFor(target), 0.9);
    }

    @Test
    void aLocalAnswerHasItsCalibratedChanceAndIsMarkedWhereTheCascadeWouldNotSettleIt() {
        // at 0.9 the cascade settles from 0.6 (50 of 50 right: Wilson's lower bound 0.929)
        Judge judge = judge(0.9);
        assertThat(judge.local(0.9)).isEqualTo(new Verdict(1.0, false));
        assertThat(judge.local(0.3)).isEqualTo(new Verdict(0.0, true));
        // at 0.97, 50 of 50 is not proof enough: nothing is settled, and every local answer is marked
        assertThat(judge(0.97).local(0.9)).isEqualTo(new Verdict(1.0, true));
    }

    @Test
    void aModelsAnswerIsWeighedByTheScoreTheLocalClassifierGivesIt() {
        Judge judge = judge(0.97);
        // 0.9 × 60.5/105.5 against 0.1 × 40.5/1605.5 (half a count added to each of the 11 bins)
        double high = 0.9 * 60.5 / 105.5 / (0.9 * 60.5 / 105.5 + 0.1 * 40.5 / 1605.5);
        assertThat(judge.model(0.6).chance()).isCloseTo(high, offset(1e-4));
        assertThat(judge.model(0.6).review()).isFalse();
        assertThat(judge.model(0.3).review()).as("%s", judge.model(0.3)).isFalse();
        // 0.9 × 15.5/105.5 against 0.1 × 1500.5/1605.5: about 0.59
        assertThat(judge.model(0.001).chance()).isCloseTo(0.586, offset(0.001));
        assertThat(judge.model(0.001).review()).isTrue();
        assertThat(judge.learnable(0.3)).isTrue();
        assertThat(judge.learnable(0.001)).isFalse();
        assertThat(judge.model(null)).as("not scored: nothing to judge by").isEqualTo(Verdict.UNJUDGED);
        assertThat(judge.learnable(null)).isFalse();
    }

    @Test
    void theModelsAnswersLeftUnmarkedReachTheTarget() {
        // left unmarked: the answers scored 0.2 and up (chance 0.983 and 0.995); with those under 0.002 (0.586) the
        // answers left would be right 0.897 of the time
        assertThat(judge(0.97).model(0.3).review()).isFalse();
        assertThat(judge(0.97).model(0.001).review()).isTrue();
        assertThat(judge(0.999).model(0.6).review()).as("none reach 0.999: all are marked").isTrue();
    }

    @Test
    void withoutACalibrationTheLocalAnswerBelowTheZeroShotThresholdAndAModelAnswerItDoubtsAreMarked() {
        Judge judge = new Judge(CascadeThreshold.uncalibrated(0.97, 0.9), 0.9);
        assertThat(judge.local(0.28)).isEqualTo(new Verdict(null, true));
        assertThat(judge.local(0.95)).isEqualTo(new Verdict(null, false));
        assertThat(judge.model(0.2)).isEqualTo(new Verdict(null, false));
        assertThat(judge.model(0.005)).isEqualTo(new Verdict(null, true));
        assertThat(judge.learnable(0.2)).isTrue();
        assertThat(judge.learnable(0.005)).isFalse();
    }

    @Test
    void whatTheCallerConfirmedAndCorrectedMovesTheModelsPrecisionFromThePrior() {
        assertThat(Cascade.Feedback.NONE.precision(0.9)).isEqualTo(0.9);
        // the prior counts as 20 answers: (30 + 20 × 0.9) / (30 + 10 + 20)
        assertThat(new Cascade.Feedback(30, 10).precision(0.9)).isCloseTo(0.8, offset(1e-9));
        // a model the caller often corrects is trusted less: each of its answers has a lower chance of being right
        assertThat(new Judge(calibration().thresholdFor(0.97), new Cascade.Feedback(30, 10).precision(0.9)).model(0.3).chance())
                .isLessThan(judge(0.97).model(0.3).chance());
    }

    @Test
    void aStoredAnswerKeepsItsChance() {
        assertThat(judge(0.97).cached(0.99)).isEqualTo(new Verdict(0.99, false));
        assertThat(judge(0.97).cached(0.6)).isEqualTo(new Verdict(0.6, true));
        assertThat(judge(0.97).cached(null)).isEqualTo(Verdict.UNJUDGED);
    }
}
