package dev.catalogclassifier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.catalogclassifier.bench.AccuracyBenchmark.Row;
import dev.catalogclassifier.cascade.Calibration;
import dev.catalogclassifier.cascade.CascadeThreshold;
import dev.catalogclassifier.cascade.Calibrator;
import dev.catalogclassifier.cascade.GroupBy;
import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.LocalClassifier;

/**
 * Would a supervised head help the cascade? The nested procedure of {@link CascadeBenchmark}, with the local score
 * a mix of the neighbour vote and a softmax regression on the embeddings ({@link SoftmaxHead}):
 * {@code alpha × vote + (1 − alpha) × head}. For each outer fold (by series) and target, the inner grouped folds
 * (by series, on the outer training items only) choose alpha among 0, 0.5 and 1 by the share they settle at the
 * target, and give the calibration; the outer fold is scored once with that alpha and threshold. The head's
 * settings were fixed before the first run. Invoked by {@code bench/accuracy.sh}.
 */
public final class HeadBenchmark {

    private static final int FOLDS = 5;
    private static final double[] TARGETS = { 0.90, 0.95, 0.97, 0.99 };
    private static final double[] ALPHAS = { 0, 0.5, 1 };
    private static final double L2 = 1e-4;
    private static final int ITERATIONS = 300;
    private static final double RATE = 1.0;

    private HeadBenchmark() {
    }

    /** The examples of some items: one per category of each, with its item and series. */
    private record Examples(float[][] vectors, int[] labels, Dimensions[] sizes, int[] items, List<String> groups) {

        static Examples of(List<Row> rows, List<String> categories, float[][] vectors, List<Integer> which) {
            List<float[]> v = new ArrayList<>();
            List<Integer> l = new ArrayList<>();
            List<Dimensions> s = new ArrayList<>();
            List<Integer> items = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            for (int i : which) {
                for (String category : rows.get(i).categories()) {
                    v.add(vectors[i]);
                    l.add(categories.indexOf(category));
                    s.add(rows.get(i).sizes());
                    items.add(i);
                    groups.add(rows.get(i).name().toLowerCase(Locale.ROOT));
                }
            }
            return new Examples(v.toArray(float[][]::new), l.stream().mapToInt(Integer::intValue).toArray(),
                    s.toArray(Dimensions[]::new), items.stream().mapToInt(Integer::intValue).toArray(), groups);
        }

        Examples pick(int[] at) {
            return new Examples(IntStream.of(at).mapToObj(i -> vectors[i]).toArray(float[][]::new),
                    IntStream.of(at).map(i -> labels[i]).toArray(), IntStream.of(at).mapToObj(i -> sizes[i]).toArray(Dimensions[]::new),
                    IntStream.of(at).map(i -> items[i]).toArray(), IntStream.of(at).mapToObj(groups::get).toList());
        }
    }

    /** Local scores of some vectors: the vote's and the head's, per category. */
    private record Scores(double[][] vote, double[][] head) {

        /** The mixed prediction of item {@code j}: its best category and that category's mixed score. */
        int best(int j, double alpha, double[] confidence) {
            int best = 0;
            double top = -1;
            for (int c = 0; c < vote[j].length; c++) {
                double s = alpha * vote[j][c] + (1 - alpha) * head[j][c];
                if (s > top) {
                    top = s;
                    best = c;
                }
            }
            confidence[0] = top;
            return best;
        }
    }

    private static Scores score(List<String> categories, float[][] labels, Examples train, float[][] vectors, Dimensions[] sizes) {
        LocalClassifier.Prepared prepared = new LocalClassifier.Prepared(categories, labels, train.vectors(), train.labels(), train.sizes());
        List<LocalClassifier.Ranking> ranked = LocalClassifier.rank(prepared, vectors, sizes, LocalClassifier.SCORING, categories.size());
        double[][] vote = new double[vectors.length][categories.size()];
        for (int j = 0; j < vectors.length; j++) {
            for (LocalClassifier.Candidate c : ranked.get(j).candidates()) {
                vote[j][categories.indexOf(c.category())] = c.score();
            }
        }
        SoftmaxHead head = SoftmaxHead.train(train.vectors(), train.labels(), categories.size(), L2, ITERATIONS, RATE);
        double[][] probabilities = new double[vectors.length][categories.size()];
        for (int j = 0; j < vectors.length; j++) {
            head.probabilities(vectors[j], probabilities[j]);
        }
        return new Scores(vote, probabilities);
    }

    /** {@code <ikea-dev.csv> <taxonomy.json>}. */
    public static void main(String[] args) throws Exception {
        EmbeddedIkea ikea = EmbeddedIkea.read(args);
        List<Row> rows = ikea.rows();
        List<String> categories = ikea.categories();
        float[][] vectors = ikea.vectors();
        float[][] labels = ikea.labels();
        long start = System.nanoTime();
        int[][] settled = new int[TARGETS.length][2];
        int testItems = 0;
        List<List<String>> chosen = new ArrayList<>();
        for (int t = 0; t < TARGETS.length; t++) {
            chosen.add(new ArrayList<>());
        }
        double[] expectedShare = new double[TARGETS.length];
        int[] topRight = new int[ALPHAS.length];
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                (AccuracyBenchmark.fold(rows.get(i)) == fold ? test : train).add(i);
            }
            Examples all = Examples.of(rows, categories, vectors, train);
            Calibration[] inner = inner(categories, labels, all, rows);
            Scores outer = score(categories, labels, all, test.stream().map(i -> vectors[i]).toArray(float[][]::new),
                    test.stream().map(i -> rows.get(i).sizes()).toArray(Dimensions[]::new));
            testItems += test.size();
            double[] confidence = new double[1];
            for (int a = 0; a < ALPHAS.length; a++) {
                for (int j = 0; j < test.size(); j++) {
                    topRight[a] += rows.get(test.get(j)).categories().contains(categories.get(outer.best(j, ALPHAS[a], confidence))) ? 1 : 0;
                }
            }
            for (int t = 0; t < TARGETS.length; t++) {
                int pick = 0;
                CascadeThreshold best = null;
                for (int a = 0; a < ALPHAS.length; a++) {
                    CascadeThreshold th = inner[a].thresholdFor(TARGETS[t]);
                    if (best == null || th.settledShare() > best.settledShare()) {
                        best = th;
                        pick = a;
                    }
                }
                chosen.get(t).add(String.format(Locale.ROOT, "%.1f", ALPHAS[pick]));
                expectedShare[t] += best.settledShare() / FOLDS;
                for (int j = 0; j < test.size(); j++) {
                    int c = outer.best(j, ALPHAS[pick], confidence);
                    if (best.settles(confidence[0])) {
                        settled[t][0]++;
                        settled[t][1] += rows.get(test.get(j)).categories().contains(categories.get(c)) ? 1 : 0;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "items: %d; outer and inner folds by series; head: softmax regression, L2 %s, %d steps%n%n",
                testItems, L2, ITERATIONS);
        System.out.println("| mix | top-1 accuracy on unseen series |");
        System.out.println("|---|---|");
        for (int a = 0; a < ALPHAS.length; a++) {
            System.out.printf(Locale.ROOT, "| %s | %.1f %% |%n", ALPHAS[a] == 1 ? "vote alone (alpha 1)" : ALPHAS[a] == 0
                    ? "head alone (alpha 0)" : "half and half (alpha 0.5)", 100.0 * topRight[a] / testItems);
        }
        System.out.println();
        System.out.println("| target | alpha chosen (per fold) | expected settled | realised settled | realised precision |");
        System.out.println("|---|---|---|---|---|");
        for (int t = 0; t < TARGETS.length; t++) {
            System.out.printf(Locale.ROOT, "| %.2f | %s | %.1f %% | %.1f %% | %s |%n", TARGETS[t], String.join(", ", chosen.get(t)),
                    100 * expectedShare[t], 100.0 * settled[t][0] / testItems, settled[t][0] == 0 ? "–"
                            : String.format(Locale.ROOT, "%.1f %% (%d of %d)", 100.0 * settled[t][1] / settled[t][0], settled[t][1], settled[t][0]));
        }
        System.out.printf(Locale.ROOT, "%n%.0f s on %d cores%n", (System.nanoTime() - start) / 1e9, Runtime.getRuntime().availableProcessors());
    }

    /** The inner grouped cross-validation's outcomes for each alpha, as calibrations. */
    private static Calibration[] inner(List<String> categories, float[][] labels, Examples all, List<Row> rows) {
        int n = all.labels().length;
        int[] fold = Calibrator.folds(all.groups(), IntStream.range(0, n).toArray(), FOLDS);
        float[][] confidences = new float[ALPHAS.length][n];
        boolean[][] correct = new boolean[ALPHAS.length][n];
        IntStream.range(0, FOLDS).parallel().forEach(k -> {
            int[] held = IntStream.range(0, n).filter(i -> fold[i] == k).toArray();
            int[] rest = IntStream.range(0, n).filter(i -> fold[i] != k).toArray();
            Examples test = all.pick(held);
            Scores scores = score(categories, labels, all.pick(rest), test.vectors(), test.sizes());
            double[] confidence = new double[1];
            for (int a = 0; a < ALPHAS.length; a++) {
                for (int j = 0; j < held.length; j++) {
                    int c = scores.best(j, ALPHAS[a], confidence);
                    confidences[a][held[j]] = (float) confidence[0];
                    correct[a][held[j]] = rows.get(test.items()[j]).categories().contains(categories.get(c));
                }
            }
        });
        Calibration[] calibrations = new Calibration[ALPHAS.length];
        for (int a = 0; a < ALPHAS.length; a++) {
            calibrations[a] = new Calibration(confidences[a], correct[a], FOLDS, GroupBy.NAME, n);
        }
        return calibrations;
    }
}
