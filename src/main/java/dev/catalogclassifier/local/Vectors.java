package dev.catalogclassifier.local;

import java.util.ArrayList;
import java.util.List;

/** The arithmetic of {@link LocalClassifier}: cosine similarity, label probabilities, nearest-neighbour vote, top k. */
final class Vectors {

    private Vectors() {
    }

    /**
     * Cosine similarity; MiniLM's vectors are normalised, so this is a dot product. It is the hot loop of a vote
     * over 50,000 examples: four float accumulators let the CPU overlap the multiply-adds (a single double
     * accumulator serialises them), at no cost in accuracy for 384 terms of unit vectors.
     */
    static double cosine(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (int end = a.length - 3; i < end; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Every category's score for each item, summing to 1: the neighbour vote plus {@code labelWeight} times the label
     * probabilities when the taxonomy has examples, the label probabilities alone when it has none. The best is what
     * {@link LocalClassifier#classify} answers; the best {@code k} are an item's shortlist. {@code fresh}, when not
     * null, receives each item's share of its vote that came from examples its taxonomy's head has not seen.
     */
    static double[][] scores(LocalClassifier.Prepared taxonomy, float[][] items, Dimensions[] sizes,
            LocalClassifier.Scoring scoring, double[] fresh) {
        if (!taxonomy.hasExamples()) {
            double[][] scores = new double[items.length][];
            for (int j = 0; j < items.length; j++) {
                scores[j] = labelProbabilities(taxonomy, items[j], scoring.labelTemperature());
            }
            return scores;
        }
        double[][] votes = votes(taxonomy, items, sizes, scoring, fresh);
        for (int j = 0; j < items.length; j++) {
            addLabels(taxonomy, items[j], votes[j], scoring);
            double total = 0;
            for (double v : votes[j]) {
                total += v;
            }
            if (total > 0) {
                for (int c = 0; c < votes[j].length; c++) {
                    votes[j][c] /= total;
                }
            }
        }
        return votes;
    }

    /**
     * {@code scores} := the vote's share × {@code scores} + the head's share × the head's probabilities, the head's share
     * being (1 − {@code voteShare}) × the part of the item's vote that came from examples the head was trained on
     * ({@code fresh}: the rest). The head has not seen examples learnt or added since it was trained; where an item's
     * nearest examples are such, the vote that holds them decides, until the taxonomy is calibrated again and its head
     * trained on them. With no such examples, the mix is exactly the calibrated one.
     */
    static void mixHead(SoftmaxHead head, float[][] items, double[][] scores, double voteShare, double[] fresh) {
        double[] p = new double[head.classes()];
        for (int j = 0; j < items.length; j++) {
            head.probabilities(items[j], p);
            double headShare = (1 - voteShare) * (1 - fresh[j]);
            for (int c = 0; c < p.length; c++) {
                scores[j][c] = (1 - headShare) * scores[j][c] + headShare * p[c];
            }
        }
    }

    /** The indexes of the {@code k} highest scores, highest first (ties: the earlier category). */
    static int[] top(double[] scores, int k) {
        int n = Math.min(k, scores.length);
        int[] best = new int[n];
        double[] kept = new double[n];
        java.util.Arrays.fill(kept, Double.NEGATIVE_INFINITY);
        for (int c = 0; c < scores.length; c++) {
            if (n > 0 && scores[c] > kept[n - 1]) {
                int at = n - 1;
                while (at > 0 && kept[at - 1] < scores[c]) {
                    kept[at] = kept[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                kept[at] = scores[c];
                best[at] = c;
            }
        }
        return best;
    }

    private static void addLabels(LocalClassifier.Prepared taxonomy, float[] item, double[] score,
            LocalClassifier.Scoring scoring) {
        if (scoring.labelWeight() > 0) {
            double[] labels = labelProbabilities(taxonomy, item, scoring.labelTemperature());
            for (int c = 0; c < score.length; c++) {
                score[c] += scoring.labelWeight() * labels[c];
            }
        }
    }

    private static double[] labelProbabilities(LocalClassifier.Prepared taxonomy, float[] item, double temperature) {
        int size = taxonomy.categories().size();
        double[] p = new double[size];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < size; c++) {
            p[c] = cosine(item, taxonomy.labels()[c]);
            max = Math.max(max, p[c]);
        }
        double sum = 0;
        for (int c = 0; c < size; c++) {
            p[c] = StrictMath.exp((p[c] - max) / temperature);
            sum += p[c];
        }
        for (int c = 0; c < size; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /**
     * For each item, each category's share of the vote of its {@code k} nearest examples, each weighted by
     * {@code exp((similarity - 1) / temperature)}, or by its similarity when {@code temperature} is 0; an
     * example's similarity is the cosine plus the scoring's share of the sizes' similarity.
     * One pass over the examples serves all the items: with 50,000 examples the scan is bound by memory, and an
     * example read once for a chunk of 32 items costs a 32nd of reading it once per item.
     */
    static double[][] votes(LocalClassifier.Prepared taxonomy, float[][] items, Dimensions[] sizes,
            LocalClassifier.Scoring scoring, double[] fresh) {
        float[][] examples = taxonomy.examples();
        Dimensions[] exampleSizes = taxonomy.exampleSizes();
        double sizeWeight = scoring.sizeWeight();
        int n = Math.min(scoring.neighbours(), examples.length);
        int[][] nearest = new int[items.length][n];
        double[][] similarity = new double[items.length][n];
        for (double[] row : similarity) {
            java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        for (int e = 0; e < examples.length; e++) {
            for (int j = 0; j < items.length; j++) {
                double s = cosine(items[j], examples[e]);
                // the sizes can add at most sizeWeight: an example that stays out even so costs no exp
                if (sizeWeight > 0 && s + sizeWeight > similarity[j][n - 1]) {
                    s += sizeWeight * sizes[j].similarity(exampleSizes[e], scoring.sizeScale());
                }
                if (s > similarity[j][n - 1]) {
                    insert(nearest[j], similarity[j], e, s);
                }
            }
        }
        double[][] weights = new double[items.length][];
        for (int j = 0; j < items.length; j++) {
            weights[j] = shares(taxonomy, nearest[j], similarity[j], scoring.neighbourTemperature());
            if (fresh != null) {
                fresh[j] = freshShare(taxonomy, nearest[j], similarity[j], scoring.neighbourTemperature());
            }
        }
        return weights;
    }

    /** The share of an item's vote weight held by examples after the first {@code headExamples}. */
    private static double freshShare(LocalClassifier.Prepared taxonomy, int[] nearest, double[] similarity, double temperature) {
        if (taxonomy.headExamples() == taxonomy.examples().length) {
            return 0;
        }
        double freshWeight = 0;
        double total = 0;
        for (int i = 0; i < nearest.length; i++) {
            double w = temperature > 0 ? StrictMath.exp((similarity[i] - 1) / temperature) : Math.max(0, similarity[i]);
            total += w;
            freshWeight += nearest[i] >= taxonomy.headExamples() ? w : 0;
        }
        return total > 0 ? freshWeight / total : 0;
    }

    private static double[] shares(LocalClassifier.Prepared taxonomy, int[] nearest, double[] similarity, double temperature) {
        double[] weight = new double[taxonomy.categories().size()];
        double total = 0;
        for (int i = 0; i < nearest.length; i++) {
            double w = temperature > 0 ? StrictMath.exp((similarity[i] - 1) / temperature) : Math.max(0, similarity[i]);
            weight[taxonomy.exampleLabels()[nearest[i]]] += w;
            total += w;
        }
        if (total > 0) {
            for (int c = 0; c < weight.length; c++) {
                weight[c] /= total;
            }
        }
        return weight;
    }

    /** Keeps {@code nearest} sorted by descending similarity, dropping the last. */
    private static void insert(int[] nearest, double[] similarity, int example, double s) {
        int at = similarity.length - 1;
        while (at > 0 && similarity[at - 1] < s) {
            similarity[at] = similarity[at - 1];
            nearest[at] = nearest[at - 1];
            at--;
        }
        similarity[at] = s;
        nearest[at] = example;
    }
}
