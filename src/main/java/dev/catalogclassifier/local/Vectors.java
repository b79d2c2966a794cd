package dev.catalogclassifier.local;

/** The arithmetic of {@link LocalClassifier}: cosine similarity, nearest label, nearest-neighbour vote. */
final class Vectors {

    private Vectors() {
    }

    /** Cosine similarity; MiniLM's vectors are normalised, so this is a dot product. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /** The nearest label; confidence is its softmax share over all labels at {@code temperature}. */
    static LocalClassifier.Prediction nearestLabel(LocalClassifier.Prepared taxonomy, float[] item, double temperature) {
        double[] scores = new double[taxonomy.labels().length];
        int best = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = cosine(item, taxonomy.labels()[i]);
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        double sum = 0;
        for (double score : scores) {
            sum += Math.exp((score - scores[best]) / temperature);
        }
        return new LocalClassifier.Prediction(taxonomy.categories().get(best), 1 / sum);
    }

    /**
     * The neighbour vote plus {@code labelWeight} times the zero-shot label probabilities (rare categories with
     * few examples still get a say from their label). Confidence is the winner's share of the combined score.
     */
    static LocalClassifier.Prediction blend(LocalClassifier.Prepared taxonomy, float[] item, LocalClassifier.Scoring scoring) {
        int size = taxonomy.categories().size();
        double[] score = votes(taxonomy, item, scoring.neighbours(), scoring.neighbourTemperature());
        if (scoring.labelWeight() > 0) {
            double[] labels = labelProbabilities(taxonomy, item, scoring.labelTemperature());
            for (int c = 0; c < size; c++) {
                score[c] += scoring.labelWeight() * labels[c];
            }
        }
        double total = 0;
        int best = 0;
        for (int c = 0; c < size; c++) {
            total += score[c];
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return new LocalClassifier.Prediction(taxonomy.categories().get(best), total == 0 ? 0 : score[best] / total);
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
            p[c] = Math.exp((p[c] - max) / temperature);
            sum += p[c];
        }
        for (int c = 0; c < size; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /**
     * Each category's share of the vote of the {@code k} nearest examples, each weighted by
     * {@code exp((similarity - 1) / temperature)}, or by its similarity when {@code temperature} is 0.
     */
    static double[] votes(LocalClassifier.Prepared taxonomy, float[] item, int k, double temperature) {
        float[][] examples = taxonomy.examples();
        int n = Math.min(k, examples.length);
        int[] nearest = new int[n];
        double[] similarity = new double[n];
        java.util.Arrays.fill(similarity, Double.NEGATIVE_INFINITY);
        for (int e = 0; e < examples.length; e++) {
            double s = cosine(item, examples[e]);
            if (s > similarity[n - 1]) {
                insert(nearest, similarity, e, s);
            }
        }
        double[] weight = new double[taxonomy.categories().size()];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double w = temperature > 0 ? Math.exp((similarity[i] - 1) / temperature) : Math.max(0, similarity[i]);
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
