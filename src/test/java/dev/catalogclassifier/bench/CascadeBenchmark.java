package dev.catalogclassifier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.catalogclassifier.bench.AccuracyBenchmark.Row;
import dev.catalogclassifier.cascade.Cascade;
import dev.catalogclassifier.cascade.Cascades;
import dev.catalogclassifier.cascade.CascadeConfig;
import dev.catalogclassifier.cascade.CascadeThreshold;
import dev.catalogclassifier.cascade.Calibrator;
import dev.catalogclassifier.cascade.GroupBy;
import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.testsupport.CascadeSettings;

/**
 * Does the cascade keep its promise on series it has never seen? Nested: ikea-dev is split into 5 outer folds by
 * series. For each, the service's {@link Calibrator} calibrates on the other four folds' items alone (its own
 * grouped cross-validation inside them) and names a threshold, share and precision interval per target; the
 * outer fold's items are then classified against those four folds' examples (and the head trained on them, at the
 * mix of vote and head the calibration chose for the target) and settled at that threshold. The realised figures come
 * from items nothing was tuned or calibrated on. Invoked by {@code bench/accuracy.sh}.
 */
public final class CascadeBenchmark {

    private static final int OUTER = 5;
    private static final double[] TARGETS = { 0.90, 0.95, 0.97, 0.99 };
    /** The service's default bound: ikea-dev's training folds (about 2,300 examples × 17 categories) get a head. */
    private static final long HEAD_MAX_SIZE = 150_000;

    private CascadeBenchmark() {
    }

    /** One target's figures, summed over the outer folds. */
    private static final class Tally {
        int items;
        int settled;
        int right;
        double reportedShare;
        double reportedPrecision;
        double reportedLow;
        double reportedHigh;
        int reported;
        int foldsBelow;
        final List<String> perFold = new ArrayList<>();
        final List<String> headShares = new ArrayList<>();
    }

    /** {@code <ikea-dev.csv> <taxonomy.json>}. */
    public static void main(String[] args) throws Exception {
        EmbeddedIkea ikea = EmbeddedIkea.read(args);
        List<Row> rows = ikea.rows();
        List<String> categories = ikea.categories();
        float[][] vectors = ikea.vectors();
        float[][] labels = ikea.labels();
        System.out.printf(Locale.ROOT, "items: %d, series: %d, outer folds: %d by series; the calibration's own folds: 5%n%n",
                rows.size(), rows.stream().map(Row::name).distinct().count(), OUTER);
        run(rows, categories, vectors, labels, GroupBy.NAME, HEAD_MAX_SIZE);
        run(rows, categories, vectors, labels, GroupBy.NAME, 0);
        run(rows, categories, vectors, labels, GroupBy.TEXT, HEAD_MAX_SIZE);
        zeroShot(rows, categories, labels, vectors, "the description (as the benchmark taxonomy reads items)");
        zeroShot(rows, categories, labels, new LocalClassifier().embed(rows.stream()
                .map(r -> dev.catalogclassifier.local.ItemText.NAME_AND_DESCRIPTION.of(r.name(), r.description())).toList()),
                "name and description (as an inline list reads items)");
    }

    /**
     * What a taxonomy without examples settles at fixed thresholds (it cannot be calibrated): nothing is chosen here,
     * the thresholds are the service's old fixed one and its zero-shot one, with two around them.
     */
    private static void zeroShot(List<Row> rows, List<String> categories, float[][] labels, float[][] vectors, String reading) {
        List<LocalClassifier.Prediction> predicted = LocalClassifier.classify(new LocalClassifier.Prepared(categories, labels),
                vectors, rows.stream().map(Row::sizes).toArray(Dimensions[]::new), LocalClassifier.SCORING);
        System.out.printf(Locale.ROOT, "### Zero-shot (labels only), reading %s%n%n", reading);
        System.out.println("| threshold | settled | precision of those |");
        System.out.println("|---|---|---|");
        for (double threshold : new double[] { 0.7, 0.8, 0.9, 0.95 }) {
            int settled = 0;
            int right = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (predicted.get(i).confidence() >= threshold) {
                    settled++;
                    right += rows.get(i).categories().contains(predicted.get(i).category()) ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "| %.2f | %.1f %% | %s |%n", threshold, 100.0 * settled / rows.size(),
                    settled == 0 ? "–" : String.format(Locale.ROOT, "%.1f %% (%d of %d)", 100.0 * right / settled, right, settled));
        }
        System.out.println();
    }

    private static void run(List<Row> rows, List<String> categories, float[][] vectors, float[][] labels, GroupBy groupBy,
            long headMaxSize) {
        CascadeConfig config = config(headMaxSize);
        Calibrator calibrator = new Calibrator(config);
        Cascades cascades = new Cascades(config);
        Tally[] tallies = new Tally[TARGETS.length];
        for (int t = 0; t < TARGETS.length; t++) {
            tallies[t] = new Tally();
        }
        double seconds = 0;
        int outcomes = 0;
        for (int fold = 0; fold < OUTER; fold++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                (AccuracyBenchmark.fold(rows.get(i)) == fold ? test : train).add(i);
            }
            Calibrator.Examples examples = examples(rows, categories, vectors, labels, train, groupBy);
            long start = System.nanoTime();
            Calibrator.Calibrated calibrated = calibrator.calibrate(examples).join();
            seconds += (System.nanoTime() - start) / 1e9;
            outcomes += calibrated.calibrations().getFirst().confidences().length;
            Cascade cascade = new Cascade(null, calibrated.calibrations());
            LocalClassifier.Prepared model = examples.prepared().withHead(calibrated.head());
            float[][] testVectors = test.stream().map(i -> vectors[i]).toArray(float[][]::new);
            Dimensions[] testSizes = test.stream().map(i -> rows.get(i).sizes()).toArray(Dimensions[]::new);
            for (int t = 0; t < TARGETS.length; t++) {
                CascadeThreshold threshold = cascades.threshold(cascade, TARGETS[t]);
                List<LocalClassifier.Prediction> predicted = LocalClassifier.classify(model, testVectors, testSizes,
                        LocalClassifier.SCORING, threshold.voteShare());
                tally(tallies[t], threshold, test, predicted, rows, cascade.hasHead());
            }
        }
        calibrator.close();
        System.out.printf(Locale.ROOT, "### Calibrated by %s (%s), %s%n%n", groupBy.wireName(), groupBy == GroupBy.NAME
                ? "series held out, as the outer folds: what the service should be told" : "exact text only: series leak across its folds",
                headMaxSize > 0 ? "vote and head (the service)" : "the vote alone (no head: classifier.cascade.head-max-size=0)");
        System.out.println("| target | threshold (per fold) | head share (per fold) | expected settled | expected precision [95 % interval] | realised settled | realised precision | folds below the interval |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int t = 0; t < TARGETS.length; t++) {
            Tally y = tallies[t];
            System.out.printf(Locale.ROOT, "| %.2f | %s | %s | %.1f %% | %s | %.1f %% | %s | %d of %d |%n", TARGETS[t],
                    String.join(", ", y.perFold), String.join(", ", y.headShares), 100.0 * y.reportedShare / OUTER,
                    y.reported == 0 ? "–" : String.format(Locale.ROOT, "%.1f %% [%.1f, %.1f]", 100 * y.reportedPrecision / y.reported,
                            100 * y.reportedLow / y.reported, 100 * y.reportedHigh / y.reported),
                    100.0 * y.settled / y.items, y.settled == 0 ? "–" : String.format(Locale.ROOT, "%.1f %% (%d of %d)",
                            100.0 * y.right / y.settled, y.right, y.settled), y.foldsBelow, OUTER);
        }
        System.out.printf(Locale.ROOT, "%ncalibration: %.1f s for %d outer folds (%d held-out examples in all) on %d cores%n%n",
                seconds, OUTER, outcomes, Runtime.getRuntime().availableProcessors());
    }

    /** Each target's outcome on one outer fold; "below" when its precision falls under the reported interval's low end. */
    private static void tally(Tally y, CascadeThreshold threshold, List<Integer> test, List<LocalClassifier.Prediction> predicted,
            List<Row> rows, boolean head) {
        int settled = 0;
        int right = 0;
        for (int j = 0; j < test.size(); j++) {
            if (threshold.settles(predicted.get(j).confidence())) {
                settled++;
                right += rows.get(test.get(j)).categories().contains(predicted.get(j).category()) ? 1 : 0;
            }
        }
        y.items += test.size();
        y.settled += settled;
        y.right += right;
        y.reportedShare += threshold.settledShare();
        y.perFold.add(threshold.threshold() > 1 ? "none" : String.format(Locale.ROOT, "%.2f", threshold.threshold()));
        y.headShares.add(head ? String.format(Locale.ROOT, "%.2f", 1 - threshold.voteShare()) : "–");
        if (!Double.isNaN(threshold.precision())) {
            y.reported++;
            y.reportedPrecision += threshold.precision();
            y.reportedLow += threshold.precisionLow();
            y.reportedHigh += threshold.precisionHigh();
            double realised = settled == 0 ? 1 : (double) right / settled;
            double halfWidth = threshold.precision() - threshold.precisionLow();
            y.foldsBelow += realised < threshold.target() - halfWidth ? 1 : 0;
        }
    }

    /** The training items as a stored taxonomy's examples: one per category of an item, grouped as asked. */
    private static Calibrator.Examples examples(List<Row> rows, List<String> categories, float[][] vectors, float[][] labels,
            List<Integer> train, GroupBy groupBy) {
        List<float[]> ex = new ArrayList<>();
        List<Integer> exLabels = new ArrayList<>();
        List<Dimensions> sizes = new ArrayList<>();
        List<Integer> items = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i : train) {
            Row row = rows.get(i);
            for (String category : row.categories()) {
                ex.add(vectors[i]);
                exLabels.add(categories.indexOf(category));
                sizes.add(row.sizes());
                items.add(i);
                groups.add(groupBy == GroupBy.NAME ? row.name().toLowerCase(Locale.ROOT) : row.text());
            }
        }
        LocalClassifier.Prepared prepared = new LocalClassifier.Prepared(categories, labels, ex.toArray(float[][]::new),
                exLabels.stream().mapToInt(Integer::intValue).toArray(), sizes.toArray(Dimensions[]::new));
        return new Calibrator.Examples(prepared, items.stream().mapToInt(Integer::intValue).toArray(), groups, groupBy);
    }

    private static CascadeConfig config(long headMaxSize) {
        return CascadeSettings.of(Integer.getInteger("folds", 5), headMaxSize, 0); // -Dfolds=10 tries more inner folds
    }
}
