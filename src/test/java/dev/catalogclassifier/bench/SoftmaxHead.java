package dev.catalogclassifier.bench;

/**
 * Multinomial logistic regression on embeddings, trained by full-batch gradient descent with momentum and an L2
 * penalty: the supervised head the cascade may combine with the neighbour vote. In the benchmarks only until its
 * figures say it earns a place in the service.
 */
final class SoftmaxHead {

    private final int classes;
    private final int dims;
    /** classes × (dims + 1): the last column is the bias. */
    private final double[][] weights;

    private SoftmaxHead(int classes, int dims) {
        this.classes = classes;
        this.dims = dims;
        this.weights = new double[classes][dims + 1];
    }

    static SoftmaxHead train(float[][] x, int[] y, int classes, double l2, int iterations, double rate) {
        int n = x.length;
        int d = x[0].length;
        SoftmaxHead head = new SoftmaxHead(classes, d);
        double[][] velocity = new double[classes][d + 1];
        double[][] gradient = new double[classes][d + 1];
        double[] p = new double[classes];
        for (int it = 0; it < iterations; it++) {
            for (double[] g : gradient) {
                java.util.Arrays.fill(g, 0);
            }
            for (int i = 0; i < n; i++) {
                head.probabilities(x[i], p);
                p[y[i]] -= 1;
                for (int c = 0; c < classes; c++) {
                    double e = p[c];
                    if (e == 0) {
                        continue;
                    }
                    double[] g = gradient[c];
                    for (int j = 0; j < d; j++) {
                        g[j] += e * x[i][j];
                    }
                    g[d] += e;
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j <= d; j++) {
                    double g = gradient[c][j] / n + (j < d ? l2 * head.weights[c][j] : 0);
                    velocity[c][j] = 0.9 * velocity[c][j] - rate * g;
                    head.weights[c][j] += velocity[c][j];
                }
            }
        }
        return head;
    }

    /** Each class's probability for {@code v}, into {@code out}. */
    void probabilities(float[] v, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double[] w = weights[c];
            double s = w[dims];
            for (int j = 0; j < dims; j++) {
                s += w[j] * v[j];
            }
            out[c] = s;
            max = Math.max(max, s);
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
}
