package dev.catalogclassifier.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.testsupport.CascadeSettings;

/** What calibrating a taxonomy gives, with the supervised head and without. */
class CalibratorTest {

    static CascadeConfig config(long headMaxSize) {
        return CascadeSettings.of(5, headMaxSize, 2);
    }

    /**
     * 3 categories of 40 groups of 3 examples each, around one direction per category, noisy enough that some are
     * wrong; the groups are what the folds keep whole.
     */
    private static Calibrator.Examples examples() {
        Random random = new Random(7);
        int dims = 32;
        float[][] centres = new float[3][];
        for (int c = 0; c < 3; c++) {
            centres[c] = unit(random, dims, null, 0);
        }
        List<float[]> vectors = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int g = 0; g < 120; g++) {
            int c = g % 3;
            for (int k = 0; k < 3; k++) {
                vectors.add(unit(random, dims, centres[c], 0.9));
                labels.add(c);
                groups.add("group-" + g);
            }
        }
        int n = vectors.size();
        LocalClassifier.Prepared prepared = new LocalClassifier.Prepared(List.of("Sofas", "Beds", "Lamps"),
                new float[][] { centres[0], centres[1], centres[2] }, vectors.toArray(float[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), new Dimensions[n]);
        java.util.Arrays.fill(prepared.exampleSizes(), Dimensions.NONE);
        return new Calibrator.Examples(prepared, java.util.stream.IntStream.range(0, n).toArray(), groups, GroupBy.GROUP);
    }

    /** A unit vector: {@code centre} plus noise of that weight, or random when there is no centre. */
    private static float[] unit(Random random, int dims, float[] centre, double noise) {
        float[] v = new float[dims];
        double norm = 0;
        for (int j = 0; j < dims; j++) {
            v[j] = (float) ((centre == null ? 0 : centre[j]) + (centre == null ? 1 : noise) * random.nextGaussian() / Math.sqrt(dims));
            norm += v[j] * v[j];
        }
        for (int j = 0; j < dims; j++) {
            v[j] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    @Test
    void aSmallTaxonomyGetsAHeadAndACalibrationPerMixTheVoteFirst() {
        Calibrator calibrator = new Calibrator(config(150_000));
        try {
            Calibrator.Calibrated calibrated = calibrator.calibrate(examples()).join();
            assertThat(calibrated.head()).isNotNull();
            assertThat(calibrated.calibrations()).extracting(Calibration::voteShare).containsExactly(1.0, 0.75, 0.5, 0.25, 0.0);
            for (Calibration c : calibrated.calibrations()) {
                assertThat(c.confidences()).hasSize(360);
                assertThat(c.examples()).isEqualTo(360);
                assertThat(c.groupedBy()).isEqualTo(GroupBy.GROUP);
            }
            // the head alone is scored with the head's own probabilities: its held-out confidences differ from the vote's
            assertThat(calibrated.calibrations().getLast().confidences()).isNotEqualTo(calibrated.calibrations().getFirst().confidences());
            int right = 0;
            for (boolean r : calibrated.calibrations().getLast().correct()) {
                right += r ? 1 : 0;
            }
            assertThat(right).as("held-out examples the head alone gets right").isGreaterThan(240);
        } finally {
            calibrator.close();
        }
    }

    @Test
    void aTaxonomyOverTheBoundIsCalibratedOnTheVoteAlone() {
        Calibrator calibrator = new Calibrator(config(360 * 3 - 1));
        try {
            Calibrator.Calibrated calibrated = calibrator.calibrate(examples()).join();
            assertThat(calibrated.head()).isNull();
            assertThat(calibrated.calibrations()).extracting(Calibration::voteShare).containsExactly(1.0);
            assertThat(new Cascade(null, calibrated.calibrations()).hasHead()).isFalse();
        } finally {
            calibrator.close();
        }
    }

    @Test
    void aTaxonomyOverTheSampleSizeIsCalibratedOnWholeGroupsOfASampleAndSaysSo() {
        Calibrator calibrator = new Calibrator(CascadeSettings.of(5, 150_000, 2, 100));
        try {
            Calibrator.Calibrated calibrated = calibrator.calibrate(examples()).join();
            assertThat(calibrated.calibrations()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.sampled()).as("said to be sampled").isTrue();
                assertThat(c.examples()).as("of all the examples").isEqualTo(360);
                // groups of 3 are kept whole, so the sample stops at the last whole group under 100
                assertThat(c.confidences()).hasSize(99);
            });
            assertThat(calibrated.head()).as("the head is still trained on every example").isNotNull();
            Cascade cascade = new Cascade(null, calibrated.calibrations());
            CascadeView view = CascadeView.of(new Cascades(CascadeSettings.of(5, 150_000, 2, 100)).threshold(cascade, 0.9), cascade);
            assertThat(view.sampled()).as("the taxonomy's view says so").isTrue();
            assertThat(view.calibratedOn()).isEqualTo(99);
            assertThat(view.examples()).isEqualTo(360);
        } finally {
            calibrator.close();
        }
    }
}
