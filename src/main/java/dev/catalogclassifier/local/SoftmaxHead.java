package dev.catalogclassifier.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A supervised head on the examples' embeddings: multinomial logistic regression, trained when a taxonomy is stored
 * by full-batch gradient descent with momentum and an L2 penalty. Its probabilities are mixed with the neighbour vote
 * ({@link LocalClassifier#rank}); top-1 accuracy barely moves, but its confidence ranks items far better for a
 * cascade, which settles more at a high precision (docs/benchmarks.md).
 * <p>
 * The settings were fixed before the first measurement and not tuned on ikea-dev. The problem is small (categories ×
 * 385 weights, a few thousand examples), so a hand-rolled solver beats pulling in a machine-learning library; the
 * bound on its size is {@code classifier.cascade.head-max-size}.
 */
public final class SoftmaxHead {

    /**
     * How a head is trained: the L2 penalty on the weights (not the biases), and the full-batch steps.
     */
    public record Settings(double l2, int steps) {

        /** What the service trains with: 300 steps are enough for the loss to flatten on ikea-dev's 17 categories. */
        public static final Settings DEFAULT = new Settings(1e-4, 300);
    }

    static final double RATE = 1.0;
    static final double MOMENTUM = 0.9;
    private static final byte VERSION = 1;

    private final int classes;
    private final int dims;
    /** classes × (dims + 1): the last column is the bias. */
    private final float[][] weights;

    private SoftmaxHead(float[][] weights) {
        this.classes = weights.length;
        this.dims = weights[0].length - 1;
        this.weights = weights;
    }

    /** Trains on {@code x[i]} labelled {@code y[i]} (an index below {@code classes}), as the service does. */
    public static SoftmaxHead train(float[][] x, int[] y, int classes) {
        return train(x, y, classes, Settings.DEFAULT);
    }

    /** Trains with other settings: for the benchmarks that compare them. */
    public static SoftmaxHead train(float[][] x, int[] y, int classes, Settings settings) {
        int n = x.length;
        int d = x[0].length;
        SoftmaxHead head = new SoftmaxHead(new float[classes][d + 1]);
        float[][] velocity = new float[classes][d + 1];
        float[][] gradient = new float[classes][d + 1];
        double[] p = new double[classes];
        for (int step = 0; step < settings.steps(); step++) {
            for (float[] g : gradient) {
                Arrays.fill(g, 0);
            }
            for (int i = 0; i < n; i++) {
                head.probabilities(x[i], p);
                p[y[i]] -= 1;
                for (int c = 0; c < classes; c++) {
                    if (p[c] != 0) {
                        axpy((float) p[c], x[i], gradient[c]);
                    }
                }
            }
            head.descend(gradient, velocity, n, settings.l2());
        }
        return head;
    }

    /** {@code g[0..d) += e × x}, {@code g[d] += e}: the loop the JIT vectorises, and where training spends its time. */
    private static void axpy(float e, float[] x, float[] g) {
        for (int j = 0; j < x.length; j++) {
            g[j] += e * x[j];
        }
        g[x.length] += e;
    }

    private void descend(float[][] gradient, float[][] velocity, int n, double l2) {
        for (int c = 0; c < classes; c++) {
            float[] w = weights[c];
            float[] v = velocity[c];
            float[] g = gradient[c];
            for (int j = 0; j <= dims; j++) {
                double step = g[j] / n + (j < dims ? l2 * w[j] : 0);
                v[j] = (float) (MOMENTUM * v[j] - RATE * step);
                w[j] += v[j];
            }
        }
    }

    public int classes() {
        return classes;
    }

    /** Each class's probability for {@code v}, into {@code out}. */
    public void probabilities(float[] v, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            out[c] = weights[c][dims] + Vectors.cosine(v, weights[c]);
            max = Math.max(max, out[c]);
        }
        double total = 0;
        for (int c = 0; c < classes; c++) {
            out[c] = Math.exp(out[c] - max);
            total += out[c];
        }
        for (int c = 0; c < classes; c++) {
            out[c] /= total;
        }
    }

    /** The head as bytes for its taxonomy's row: a version, the classes and dimensions, then the weights. */
    public byte[] write() {
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + classes * (dims + 1) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION).putInt(classes).putInt(dims);
        for (float[] w : weights) {
            out.asFloatBuffer().put(w);
            out.position(out.position() + w.length * Float.BYTES);
        }
        return out.array();
    }

    /** The head, or null for bytes of another version (stored by a newer release: store the taxonomy again). */
    public static SoftmaxHead read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.get() != VERSION) {
            return null;
        }
        float[][] weights = new float[in.getInt()][in.getInt() + 1];
        for (float[] w : weights) {
            in.asFloatBuffer().get(w);
            in.position(in.position() + w.length * Float.BYTES);
        }
        return new SoftmaxHead(weights);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SoftmaxHead h && Arrays.deepEquals(weights, h.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(weights);
    }
}
