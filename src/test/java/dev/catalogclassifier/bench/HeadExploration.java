package dev.catalogclassifier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.catalogclassifier.bench.AccuracyBenchmark.Row;
import dev.catalogclassifier.cascade.Calibration;
import dev.catalogclassifier.cascade.Calibrator;
import dev.catalogclassifier.cascade.CascadeThreshold;
import dev.catalogclassifier.cascade.GroupBy;
import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.local.SoftmaxHead;

/**
 * Which head settings and which confidence should the cascade use? Explored on outer fold 0's training items alone
 * (folds 1–4 of {@link AccuracyBenchmark#fold}), by the inner grouped cross-validation the service calibrates with:
 * each variant's expected share settled at 0.95 and 0.97, the best over the vote shares. Fold 0's items are not read,
 * so {@link CascadeBenchmark}'s fold 0 stays a clean check of whatever this chooses.
 * {@code <ikea-dev.csv> <taxonomy.json>}.
 */
public final class HeadExploration {

    private static final double[] SHARES = { 1, 0.75, 0.5, 0.25, 0 };

    private HeadExploration() {
    }

    /** A variant: how the head is trained, and whether confidence is the best score or its margin over the second. */
    private record Variant(String name, SoftmaxHead.Settings settings, boolean margin) {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedIkea ikea = EmbeddedIkea.read(args);
        List<Row> rows = ikea.rows();
        List<String> categories = ikea.categories();
        List<float[]> v = new ArrayList<>();
        List<Integer> l = new ArrayList<>();
        List<Dimensions> s = new ArrayList<>();
        List<Integer> items = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (AccuracyBenchmark.fold(rows.get(i)) == 0) {
                continue;
            }
            for (String category : rows.get(i).categories()) {
                v.add(ikea.vectors()[i]);
                l.add(categories.indexOf(category));
                s.add(rows.get(i).sizes());
                items.add(i);
                groups.add(rows.get(i).name().toLowerCase(Locale.ROOT));
            }
        }
        float[][] x = v.toArray(float[][]::new);
        int[] y = l.stream().mapToInt(Integer::intValue).toArray();
        Dimensions[] sizes = s.toArray(Dimensions[]::new);
        int n = x.length;
        int[] fold = Calibrator.folds(groups, IntStream.range(0, n).toArray(), 5);
        List<Variant> variants = List.of(
                new Variant("shipped: L2 1e-4, 300 steps, best score", SoftmaxHead.Settings.DEFAULT, false),
                new Variant("margin over the second", SoftmaxHead.Settings.DEFAULT, true),
                new Variant("L2 1e-3", new SoftmaxHead.Settings(1e-3, 300), false),
                new Variant("L2 1e-5", new SoftmaxHead.Settings(1e-5, 300), false),
                new Variant("600 steps", new SoftmaxHead.Settings(1e-4, 600), false),
                new Variant("L2 1e-5, 600 steps, margin", new SoftmaxHead.Settings(1e-5, 600), true));
        System.out.printf(Locale.ROOT, "folds 1-4 only: %d examples; inner folds by series%n%n", n);
        System.out.println("| variant | settled at 0.95 (share) | settled at 0.97 (share) | top-1 right, head alone |");
        System.out.println("|---|---|---|---|");
        for (Variant variant : variants) {
            float[][] confidence = new float[SHARES.length][n];
            boolean[][] correct = new boolean[SHARES.length][n];
            int[] headRight = new int[1];
            IntStream.range(0, 5).parallel().forEach(k -> {
                int[] held = IntStream.range(0, n).filter(i -> fold[i] == k).toArray();
                int[] rest = IntStream.range(0, n).filter(i -> fold[i] != k).toArray();
                LocalClassifier.Prepared train = new LocalClassifier.Prepared(categories, ikea.labels(),
                        IntStream.of(rest).mapToObj(i -> x[i]).toArray(float[][]::new), IntStream.of(rest).map(i -> y[i]).toArray(),
                        IntStream.of(rest).mapToObj(i -> sizes[i]).toArray(Dimensions[]::new));
                float[][] heldX = IntStream.of(held).mapToObj(i -> x[i]).toArray(float[][]::new);
                double[][] votes = LocalClassifier.voteScores(train, heldX, IntStream.of(held).mapToObj(i -> sizes[i])
                        .toArray(Dimensions[]::new), LocalClassifier.SCORING);
                SoftmaxHead head = SoftmaxHead.train(train.examples(), train.exampleLabels(), categories.size(), variant.settings());
                double[] p = new double[categories.size()];
                for (int a = 0; a < held.length; a++) {
                    head.probabilities(heldX[a], p);
                    for (int sh = 0; sh < SHARES.length; sh++) {
                        int best = -1;
                        double top = -1;
                        double second = -1;
                        for (int c = 0; c < p.length; c++) {
                            double score = SHARES[sh] * votes[a][c] + (1 - SHARES[sh]) * p[c];
                            if (score > top) {
                                second = top;
                                top = score;
                                best = c;
                            } else if (score > second) {
                                second = score;
                            }
                        }
                        confidence[sh][held[a]] = (float) (variant.margin() ? top - second : top);
                        correct[sh][held[a]] = rows.get(items.get(held[a])).categories().contains(categories.get(best));
                        if (sh == SHARES.length - 1 && correct[sh][held[a]]) {
                            synchronized (headRight) {
                                headRight[0]++;
                            }
                        }
                    }
                }
            });
            double[] best = new double[2];
            for (int sh = 0; sh < SHARES.length; sh++) {
                Calibration c = new Calibration(confidence[sh], correct[sh], 5, GroupBy.NAME, n, SHARES[sh]);
                CascadeThreshold at95 = c.thresholdFor(0.95);
                CascadeThreshold at97 = c.thresholdFor(0.97);
                best[0] = Math.max(best[0], at95.settledShare());
                best[1] = Math.max(best[1], at97.settledShare());
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f %% |%n", variant.name(), 100 * best[0], 100 * best[1],
                    100.0 * headRight[0] / n);
        }
    }
}
