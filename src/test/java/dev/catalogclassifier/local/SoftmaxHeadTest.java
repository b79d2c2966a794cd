package dev.catalogclassifier.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The supervised head learns categories from vectors, and reads back from its stored form unchanged. */
class SoftmaxHeadTest {

    private static final int DIMS = 48;

    /** {@code n} vectors of 4 categories, each its category's direction plus noise, category {@code i % 4}. */
    private static float[][] vectors(Random random, float[][] centres, int n) {
        float[][] x = new float[n][DIMS];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < DIMS; j++) {
                x[i][j] = centres[i % 4][j] + (float) (0.15 * random.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void itPredictsHeldOutVectorsOfItsCategoriesAndIsSureOfThem() {
        Random random = new Random(11);
        float[][] centres = new float[4][DIMS];
        for (float[] c : centres) {
            for (int j = 0; j < DIMS; j++) {
                c[j] = (float) (random.nextGaussian() / Math.sqrt(DIMS));
            }
        }
        float[][] train = vectors(random, centres, 200);
        int[] labels = java.util.stream.IntStream.range(0, 200).map(i -> i % 4).toArray();
        SoftmaxHead head = SoftmaxHead.train(train, labels, 4);
        float[][] test = vectors(random, centres, 200);
        double[] p = new double[4];
        int right = 0;
        double sureness = 0;
        for (int i = 0; i < test.length; i++) {
            head.probabilities(test[i], p);
            assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            int best = Vectors.top(p, 1)[0];
            right += best == i % 4 ? 1 : 0;
            sureness += p[i % 4];
        }
        assertThat(right).as("held-out vectors right, of 200").isGreaterThanOrEqualTo(190);
        assertThat(sureness / test.length).as("mean probability of the right category").isGreaterThan(0.8);
    }

    @Test
    void theStoredFormReadsBackAsTheSameHead() {
        Random random = new Random(3);
        float[][] x = new float[20][DIMS];
        for (float[] v : x) {
            for (int j = 0; j < DIMS; j++) {
                v[j] = (float) random.nextGaussian();
            }
        }
        SoftmaxHead head = SoftmaxHead.train(x, java.util.stream.IntStream.range(0, 20).map(i -> i % 3).toArray(), 3);
        SoftmaxHead read = SoftmaxHead.read(head.write());
        assertThat(read).isEqualTo(head);
        double[] a = new double[3];
        double[] b = new double[3];
        head.probabilities(x[0], a);
        read.probabilities(x[0], b);
        assertThat(b).containsExactly(a);
    }
}
