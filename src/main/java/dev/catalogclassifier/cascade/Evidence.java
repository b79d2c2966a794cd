package dev.catalogclassifier.cascade;

import java.util.Arrays;

/**
 * What the local classifier's scores say of an answer it did not give itself, as a taxonomy's held-out examples show
 * it: how the score it gives an item's right category is spread ({@code right}), and how the scores of the other
 * categories are spread ({@code others}), each counted in the bins of {@link #EDGES}. A model's answer that the local
 * classifier scores 0.3 is right far more often than one it scores 0.003: this is the ratio by which it is weighed.
 */
public record Evidence(long[] right, long[] others) {

    /** Bin edges of a score in 0..1: finer where the scores of wrong categories crowd, near 0. */
    static final double[] EDGES = { 0, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1 };
    /** Bins. */
    public static final int BINS = EDGES.length - 1;

    public Evidence {
        if (right.length != BINS || others.length != BINS) {
            throw new IllegalArgumentException(BINS + " bins each");
        }
    }

    static Evidence empty() {
        return new Evidence(new long[BINS], new long[BINS]);
    }

    /** The bin of a score. */
    static int bin(double score) {
        int i = Arrays.binarySearch(EDGES, score);
        int bin = i >= 0 ? i : -i - 2;
        return Math.max(0, Math.min(BINS - 1, bin));
    }

    /** Counts a held-out example: the score of its right category and those of all the others. */
    void add(double rightScore, double[] otherScores) {
        right[bin(rightScore)]++;
        for (double s : otherScores) {
            others[bin(s)]++;
        }
    }

    /** Adds another fold's counts. */
    void addAll(Evidence more) {
        for (int b = 0; b < BINS; b++) {
            right[b] += more.right[b];
            others[b] += more.others[b];
        }
    }

    public boolean isEmpty() {
        return Arrays.stream(right).sum() == 0;
    }

    /**
     * The chance that an answer the local classifier scores {@code score} is right, for a model right on {@code prior}
     * of its answers whose wrong answers fall on any other category alike: prior × P(score | right) against
     * (1 − prior) × P(score | another category). Each bin's shares are smoothed by half a count, so an empty bin is
     * not proof.
     */
    public double chance(double score, double prior) {
        int b = bin(score);
        double rightShare = (right[b] + 0.5) / (Arrays.stream(right).sum() + 0.5 * BINS);
        double otherShare = (others[b] + 0.5) / (Arrays.stream(others).sum() + 0.5 * BINS);
        double yes = prior * rightShare;
        double no = (1 - prior) * otherShare;
        return yes / (yes + no);
    }

    /**
     * The lowest chance at which a model's answers are left unmarked so that those left reach {@code target} precision,
     * as this spread expects the answers of a model right on {@code prior} of the time to fall: bins are taken from the
     * surest down while the answers in them are right {@code target} of the time on average. Above 1 when not even the
     * surest reach it: then every answer of the model is marked.
     */
    public double cut(double prior, double target) {
        Integer[] order = new Integer[BINS];
        double[] chance = new double[BINS];
        double[] mass = new double[BINS];
        double rightTotal = Arrays.stream(right).sum() + 0.5 * BINS;
        double othersTotal = Arrays.stream(others).sum() + 0.5 * BINS;
        for (int b = 0; b < BINS; b++) {
            order[b] = b;
            double yes = prior * (right[b] + 0.5) / rightTotal;
            double no = (1 - prior) * (others[b] + 0.5) / othersTotal;
            chance[b] = yes / (yes + no);
            mass[b] = yes + no;
        }
        Arrays.sort(order, (x, y) -> Double.compare(chance[y], chance[x]));
        double kept = 0;
        double rightKept = 0;
        double cut = NONE_KEPT;
        for (int b : order) {
            kept += mass[b];
            rightKept += mass[b] * chance[b];
            if (rightKept / kept < target) {
                break;
            }
            cut = chance[b];
        }
        return cut;
    }

    /** A cut above every chance: nothing is left unmarked. */
    static final double NONE_KEPT = 1.01;

    @Override
    public boolean equals(Object other) {
        return other instanceof Evidence e && Arrays.equals(right, e.right) && Arrays.equals(others, e.others);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(right) * 31 + Arrays.hashCode(others);
    }
}
