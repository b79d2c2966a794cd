package dev.catalogclassifier.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The threshold a calibration names for a target precision, on outcomes whose truth is known. */
class CalibrationTest {

    /**
     * 800 outcomes: 200 above 0.8 all right, 400 from 0.5 to 0.8 four in five right, 200 below 0.5 two in five. A
     * 0.97 target settles the first band (100 % of 200: at least 98.1 % with 95 % confidence), 0.8 the first two
     * (86.7 % of 600: at least 83.7 %); the interval is Wilson's.
     */
    private static Calibration banded() {
        int n = 800;
        float[] confidences = new float[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            int band = i % 4; // 0: high band; 1, 2: middle; 3: low
            confidences[i] = band == 0 ? 0.8f + 0.002f * (i % 97) : band < 3 ? 0.5f + 0.003f * (i % 97) : 0.1f + 0.004f * (i % 97);
            correct[i] = band == 0 || band < 3 && i % 5 != 0 || band == 3 && i % 5 < 2;
        }
        return new Calibration(confidences, correct, 5, GroupBy.NAME, n, 1);
    }

    @Test
    void aHighTargetSettlesTheBandThatIsAlwaysRightAndNotTheNext() {
        CascadeThreshold t = banded().thresholdFor(0.97);
        // the middle band's most confident few may join, where they happen to be right: never the band itself
        assertThat(t.threshold()).isBetween(0.75, 0.8 + 1e-6);
        assertThat(t.settledShare()).isBetween(0.25, 0.3);
        int settled = (int) Math.round(t.settledShare() * 800);
        int right = (int) Math.round(t.precision() * settled);
        assertThat(t.precisionLow()).isEqualTo(Calibration.wilson(right, settled)[0]).isGreaterThanOrEqualTo(0.97);
        assertThat(t.settles(0.81)).isTrue();
        assertThat(t.settles(0.6)).isFalse();
    }

    @Test
    void aLowerTargetSettlesMoreAtALowerPrecisionThatStillReachesIt() {
        CascadeThreshold t = banded().thresholdFor(0.8);
        assertThat(t.threshold()).isLessThan(0.8).isGreaterThanOrEqualTo(0.5);
        assertThat(t.settledShare()).isGreaterThan(0.25).isLessThanOrEqualTo(0.75);
        assertThat(t.precisionLow()).isGreaterThanOrEqualTo(0.8);
        assertThat(t.precision()).isLessThan(1.0);
    }

    @Test
    void aTargetNoOutcomeReachesSettlesNothing() {
        CascadeThreshold t = banded().thresholdFor(0.999);
        assertThat(t.settledShare()).isZero();
        assertThat(t.settles(1.0)).isFalse();
        assertThat(CascadeView.of(t, new Cascade(null, List.of(banded()))).threshold()).isNull();
    }

    @Test
    void aRareLuckyCutHighUpDoesNotSetTheThreshold() {
        // confidences rising, right and wrong alternating, except the top five: a target of 0.9 must not take them
        // as a band of its own unless their interval, on five outcomes, reaches it (it does not)
        float[] confidences = new float[200];
        boolean[] correct = new boolean[200];
        for (int i = 0; i < 200; i++) {
            confidences[i] = i / 200f;
            correct[i] = i >= 195 || i % 2 == 0;
        }
        CascadeThreshold t = new Calibration(confidences, correct, 5, GroupBy.TEXT, 200, 1).thresholdFor(0.9);
        assertThat(t.settledShare()).isZero();
    }

    /** {@link #banded()} with the middle band's right outcomes moved up: a mix that settles more at 0.97. */
    private static Calibration sharper(double voteShare) {
        Calibration b = banded();
        float[] confidences = b.confidences().clone();
        for (int i = 0; i < confidences.length; i++) {
            if (i % 4 == 1 && b.correct()[i]) {
                confidences[i] = 0.85f;
            }
        }
        return new Calibration(confidences, b.correct(), 5, GroupBy.NAME, 800, voteShare);
    }

    @Test
    void theCascadeScoresWithTheMixThatSettlesMostAtItsTargetAndTheVoteOnATie() {
        Cascades cascades = new Cascades(CalibratorTest.config(150_000));
        Cascade cascade = new Cascade(null, List.of(banded(), sharper(0.5), sharper(0)));
        CascadeThreshold t = cascades.threshold(cascade, 0.97);
        assertThat(t.voteShare()).as("the first of the two mixes that settle most").isEqualTo(0.5);
        assertThat(t.settledShare()).isGreaterThan(banded().thresholdFor(0.97).settledShare());
        assertThat(CascadeView.of(t, cascade).headShare()).isEqualTo(0.5);
        CascadeThreshold tie = cascades.threshold(new Cascade(null, List.of(banded(), new Calibration(banded().confidences(),
                banded().correct(), 5, GroupBy.NAME, 800, 0))), 0.97);
        assertThat(tie.voteShare()).isEqualTo(1.0);
        assertThat(CascadeView.of(tie, new Cascade(null, List.of(banded()))).headShare()).as("no head").isNull();
    }

    @Test
    void theStoredFormReadsBackAsTheSameCalibrations() {
        List<Calibration> written = List.of(banded(), sharper(0.25));
        byte[] bytes = CalibrationCodec.write(written);
        assertThat(CalibrationCodec.read(bytes)).isEqualTo(written);
        assertThat(CalibrationCodec.isCurrent(bytes)).isTrue();
        assertThat(CalibrationCodec.read(CalibrationCodec.write(List.of()))).isEmpty();
    }

    @Test
    void aCalibrationStoredBeforeTheHeadReadsAsTheVoteAloneAndIsNotCurrent() {
        Calibration c = banded();
        int n = c.confidences().length;
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(1 + 4 + 1 + 4 + 4 + n * 5); // the version 1 layout
        v1.put((byte) 1).putInt(5).put((byte) GroupBy.NAME.ordinal()).putInt(n).putInt(n);
        for (int i = 0; i < n; i++) {
            v1.putFloat(c.confidences()[i]).put((byte) (c.correct()[i] ? 1 : 0));
        }
        assertThat(CalibrationCodec.read(v1.array())).containsExactly(c);
        assertThat(CalibrationCodec.isCurrent(v1.array())).isFalse();
    }

    @Test
    void foldsKeepEachGroupWholeAndAreOfAboutOneSize() {
        List<String> groups = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> groups.add("series-" + (i % 37) + (i % 37 == 0 ? "-big" : "")));
        IntStream.range(0, 60).forEach(i -> groups.add("series-0-big"));
        int[] sample = IntStream.range(0, groups.size()).toArray();
        int[] fold = Calibrator.folds(groups, sample, 5);
        for (int i = 0; i < groups.size(); i++) {
            for (int j = 0; j < groups.size(); j++) {
                if (groups.get(i).equals(groups.get(j))) {
                    assertThat(fold[i]).as("%s in one fold", groups.get(i)).isEqualTo(fold[j]);
                }
            }
        }
        int[] sizes = new int[5];
        Arrays.stream(fold).forEach(f -> sizes[f]++);
        assertThat(Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt()).isLessThanOrEqualTo(68);
        assertThat(Calibrator.folds(List.of("a", "a", "b"), new int[] { 0, 1, 2 }, 5)).as("fewer groups than folds").isNull();
    }
}
