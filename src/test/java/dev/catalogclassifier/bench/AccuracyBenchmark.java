package dev.catalogclassifier.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.ItemText;
import dev.catalogclassifier.local.LocalClassifier;

/**
 * Accuracy of the in-process classifier on real catalogue data ({@code bench/data/ikea-dev.csv}): zero-shot
 * with label descriptions, then with labelled examples by k-fold grouped by series name, then what a cascade
 * would settle locally. Nothing is tuned here: the neighbour count, temperature, descriptions and thresholds were
 * fixed before the first run. Invoked by {@code bench/accuracy.sh}.
 */
public final class AccuracyBenchmark {

    private static final int FOLDS = 5;
    private static final int SPLITS = 20;
    private static final double[] THRESHOLDS = { 0.5, 0.6, 0.7, 0.8, 0.9 };
    /**
     * Weights of the sizes' similarity the nested selection chooses among (0: words alone). The scale, 0.25, and
     * the middle weight were picked on folds 1-4 (inner cross-validation there) before any outer fold was scored.
     */
    private static final double[] SIZE_WEIGHTS = { 0, 0.1, 0.2 };

    record Row(String name, String description, Set<String> categories) {
        /** The text the service reads with the benchmark's taxonomy ({@code item_text: description}). */
        String text() {
            return ItemText.DESCRIPTION.of(name, description);
        }

        Dimensions sizes() {
            return ItemText.sizesOf(name, description);
        }

        /** What the service reads of the item with the benchmark's taxonomy. */
        LocalClassifier.Input input() {
            return LocalClassifier.Input.of(ItemText.DESCRIPTION, name, description);
        }
    }

    private AccuracyBenchmark() {
    }

    /** {@code <ikea-dev.csv> <taxonomy.json>}. */
    public static void main(String[] args) throws Exception {
        List<Row> rows = read(Path.of(args[0]));
        JsonNode taxonomy = new ObjectMapper().readTree(Path.of(args[1]).toFile());
        List<String> categories = new ObjectMapper().convertValue(taxonomy.path("categories"), new TypeReference<>() { });
        Map<String, String> descriptions = new ObjectMapper().convertValue(taxonomy.path("descriptions"), new TypeReference<>() { });
        LocalClassifier local = new LocalClassifier();
        List<String> texts = rows.stream().map(Row::text).toList();
        List<LocalClassifier.Input> inputs = rows.stream().map(Row::input).toList();

        LocalClassifier.Prepared labelsOnly = local.prepare(categories, descriptions, List.of());
        onAllCores(local, labelsOnly, inputs.subList(0, 200)); // warm-up
        long start = System.nanoTime();
        List<LocalClassifier.Prediction> zeroShot = onAllCores(local, labelsOnly, inputs);
        double zeroShotSeconds = (System.nanoTime() - start) / 1e9;

        List<LocalClassifier.Prediction> withExamples = new ArrayList<>(rows.size());
        rows.forEach(r -> withExamples.add(null));
        long foldStart = System.nanoTime();
        for (int fold = 0; fold < FOLDS; fold++) {
            List<LocalClassifier.Example> examples = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (fold(rows.get(i)) == fold) {
                    test.add(i);
                } else {
                    for (String category : rows.get(i).categories()) {
                        examples.add(new LocalClassifier.Example(texts.get(i), rows.get(i).sizes(), category));
                    }
                }
            }
            LocalClassifier.Prepared prepared = local.prepare(categories, descriptions, examples);
            List<LocalClassifier.Prediction> predicted = local.classifyAll(prepared, test.stream().map(inputs::get).toList());
            for (int t = 0; t < test.size(); t++) {
                withExamples.set(test.get(t), predicted.get(t));
            }
        }
        double foldSeconds = (System.nanoTime() - foldStart) / 1e9;
        report(rows, zeroShot, withExamples, zeroShotSeconds, foldSeconds);
        List<LocalClassifier.Prediction> zeroShotNamed = local.classifyAll(local.prepare(categories, descriptions, List.of()),
                rows.stream().map(r -> LocalClassifier.Input.of(ItemText.NAME_AND_DESCRIPTION, r.name(), r.description())).toList());
        System.out.printf(Locale.ROOT, "zero-shot reading name and description (the default for inline taxonomies): %.1f %%%n",
                100.0 * correct(rows, zeroShotNamed) / rows.size());
        steadyState(local, rows, categories, descriptions, inputs);
        splitSpread(local, rows, categories, descriptions, inputs);
        nested(local, rows, categories, descriptions);
    }

    /** Items/s once a taxonomy with every item as an example is prepared: what a request pays per item. */
    private static void steadyState(LocalClassifier local, List<Row> rows, List<String> categories,
            Map<String, String> descriptions, List<LocalClassifier.Input> inputs) {
        List<LocalClassifier.Example> all = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            for (String category : rows.get(i).categories()) {
                all.add(new LocalClassifier.Example(inputs.get(i).text(), inputs.get(i).size(), category));
            }
        }
        LocalClassifier.Prepared prepared = local.prepare(categories, descriptions, all);
        onAllCores(local, prepared, inputs.subList(0, 200)); // warm-up
        long start = System.nanoTime();
        onAllCores(local, prepared, inputs);
        System.out.printf(Locale.ROOT, "steady state: %.0f items/s against %d examples%n",
                rows.size() / ((System.nanoTime() - start) / 1e9), all.size());
        sizeCost(prepared, local.embed(inputs.subList(0, 640).stream().map(LocalClassifier.Input::text).toList()),
                inputs.subList(0, 640).stream().map(LocalClassifier.Input::size).toArray(Dimensions[]::new));
    }

    /**
     * What comparing sizes costs the vote: 640 embedded items in chunks of 32, with the service's scoring and with
     * its size weight set to 0, alternately, against the examples and against 16 copies of them (a large taxonomy).
     */
    private static void sizeCost(LocalClassifier.Prepared prepared, float[][] items, Dimensions[] sizes) {
        LocalClassifier.Scoring with = LocalClassifier.SCORING;
        LocalClassifier.Scoring without = new LocalClassifier.Scoring(with.neighbours(), with.neighbourTemperature(),
                with.labelWeight(), with.labelTemperature(), 0, with.sizeScale());
        for (int copies : new int[] { 1, 16 }) {
            LocalClassifier.Prepared large = copies == 1 ? prepared : copies(prepared, copies);
            for (int round = 0; round < 4; round++) {
                double withRate = voteRate(large, items, sizes, with);
                double withoutRate = voteRate(large, items, sizes, without);
                if (round > 0) { // the first round warms up
                    System.out.printf(Locale.ROOT, "vote only, %d examples: %.0f items/s with sizes, %.0f without (%.2fx)%n",
                            large.examples().length, withRate, withoutRate, withRate / withoutRate);
                }
            }
        }
    }

    private static double voteRate(LocalClassifier.Prepared prepared, float[][] items, Dimensions[] sizes,
            LocalClassifier.Scoring scoring) {
        long start = System.nanoTime();
        for (int from = 0; from < items.length; from += LocalClassifier.CHUNK) {
            int to = Math.min(items.length, from + LocalClassifier.CHUNK);
            LocalClassifier.classify(prepared, java.util.Arrays.copyOfRange(items, from, to),
                    java.util.Arrays.copyOfRange(sizes, from, to), scoring);
        }
        return items.length / ((System.nanoTime() - start) / 1e9);
    }

    private static LocalClassifier.Prepared copies(LocalClassifier.Prepared prepared, int copies) {
        int n = prepared.examples().length;
        float[][] examples = new float[n * copies][];
        int[] labels = new int[n * copies];
        Dimensions[] sizes = new Dimensions[n * copies];
        for (int i = 0; i < n * copies; i++) {
            examples[i] = prepared.examples()[i % n];
            labels[i] = prepared.exampleLabels()[i % n];
            sizes[i] = prepared.exampleSizes()[i % n];
        }
        return new LocalClassifier.Prepared(prepared.categories(), prepared.labels(), examples, labels, sizes);
    }

    /**
     * How much the 5-fold figure owes to which series share a fold: the service's scoring over {@link #SPLITS}
     * random series-to-fold assignments (seeds 0 to SPLITS - 1, fixed before the first run), next to the hash
     * split every other figure uses.
     */
    private static void splitSpread(LocalClassifier local, List<Row> rows, List<String> categories,
            Map<String, String> descriptions, List<LocalClassifier.Input> inputs) {
        float[][] vectors = local.embed(inputs.stream().map(LocalClassifier.Input::text).toList());
        float[][] labels = local.prepare(categories, descriptions, List.of()).labels();
        List<String> series = rows.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).distinct().toList();
        double[] accuracy = new double[SPLITS];
        for (int seed = 0; seed < SPLITS; seed++) {
            java.util.Random random = new java.util.Random(seed);
            Map<String, Integer> foldOf = new java.util.HashMap<>();
            series.forEach(name -> foldOf.put(name, random.nextInt(FOLDS)));
            NestedSelection split = new NestedSelection(categories, rows.stream().map(Row::categories).toList(), labels,
                    Map.of("text", vectors), rows.stream().map(Row::sizes).toArray(Dimensions[]::new),
                    i -> foldOf.get(rows.get(i).name().toLowerCase(Locale.ROOT)), i -> 0, FOLDS);
            accuracy[seed] = split.crossValidated(new NestedSelection.Candidate("text", LocalClassifier.SCORING));
        }
        java.util.DoubleSummaryStatistics stats = java.util.Arrays.stream(accuracy).summaryStatistics();
        double sd = Math.sqrt(java.util.Arrays.stream(accuracy).map(a -> (a - stats.getAverage()) * (a - stats.getAverage())).sum() / SPLITS);
        System.out.printf(Locale.ROOT, "with examples, the service's scoring, %d random series splits: mean %.1f %%, sd %.1f, "
                + "min %.1f %%, max %.1f %%%n", SPLITS, 100 * stats.getAverage(), 100 * sd, 100 * stats.getMin(), 100 * stats.getMax());
    }

    /** As the service classifies a large request: chunks of 32 on the classifier's threads, one per core. */
    private static List<LocalClassifier.Prediction> onAllCores(LocalClassifier local, LocalClassifier.Prepared prepared,
            List<LocalClassifier.Input> inputs) {
        List<java.util.concurrent.CompletableFuture<List<LocalClassifier.Prediction>>> chunks = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += LocalClassifier.CHUNK) {
            chunks.add(local.classifyAsync(() -> prepared, inputs.subList(from, Math.min(inputs.size(), from + LocalClassifier.CHUNK))));
        }
        return chunks.stream().flatMap(c -> c.join().stream()).toList();
    }

    /** Item text and scoring chosen by inner cross-validation on the training folds only. */
    private static void nested(LocalClassifier local, List<Row> rows, List<String> categories, Map<String, String> descriptions) {
        Map<String, float[][]> vectors = new java.util.LinkedHashMap<>();
        vectors.put("description without sizes", local.embed(rows.stream().map(Row::text).toList()));
        vectors.put("name, description without sizes", local.embed(rows.stream().map(r -> ItemText.NAME_AND_DESCRIPTION.of(r.name(), r.description())).toList()));
        vectors.put("name, description", local.embed(rows.stream().map(r -> r.name().strip() + ", " + r.description().strip()).toList()));
        float[][] labels = local.prepare(categories, descriptions, List.of()).labels();
        List<NestedSelection.Candidate> candidates = new ArrayList<>();
        for (String text : vectors.keySet()) {
            for (int k : new int[] { 5, 10, 20, 50 }) {
                for (double temperature : new double[] { 0, 0.05, 0.1 }) {
                    for (double labelWeight : new double[] { 0, 0.5 }) {
                        for (double sizeWeight : SIZE_WEIGHTS) {
                            candidates.add(new NestedSelection.Candidate(text, new LocalClassifier.Scoring(k, temperature,
                                    labelWeight, LocalClassifier.SCORING.labelTemperature(), sizeWeight,
                                    LocalClassifier.SCORING.sizeScale())));
                        }
                    }
                }
            }
        }
        NestedSelection selection = new NestedSelection(categories, rows.stream().map(Row::categories).toList(),
                labels, vectors, rows.stream().map(Row::sizes).toArray(Dimensions[]::new), i -> fold(rows.get(i)), i -> innerFold(rows.get(i)), FOLDS);
        System.out.println();
        System.out.println("With examples, text and scoring chosen by inner 5-fold CV on the training folds ("
                + candidates.size() + " candidates): " + selection.run(candidates));
        System.out.println();
        System.out.println("Chosen by 5-fold CV on all items (what the service should ship): " + selection.chooseOnAll(candidates));
        System.out.println("The service ships: " + LocalClassifier.SCORING);
    }

    /** A second, independent grouping by series for the inner folds. */
    static int innerFold(Row row) {
        return Math.floorMod(("inner:" + row.name().toLowerCase(Locale.ROOT)).hashCode(), FOLDS);
    }

    /** Whole series on one side: the fold is a hash of the series name. */
    static int fold(Row row) {
        return Math.floorMod(row.name().toLowerCase(Locale.ROOT).hashCode(), FOLDS);
    }

    private static void report(List<Row> rows, List<LocalClassifier.Prediction> zeroShot,
            List<LocalClassifier.Prediction> withExamples, double zeroShotSeconds, double foldSeconds) {
        int n = rows.size();
        System.out.printf(Locale.ROOT, "items: %d, series: %d, folds: %d (grouped by series name)%n", n,
                rows.stream().map(Row::name).distinct().count(), FOLDS);
        System.out.printf(Locale.ROOT, "| zero-shot (label descriptions only) | %.1f %% |%n", 100.0 * correct(rows, zeroShot) / n);
        System.out.printf(Locale.ROOT, "| with examples (%d-fold by series, the service's text and scoring) | %.1f %% |%n", FOLDS, 100.0 * correct(rows, withExamples) / n);
        System.out.println();
        System.out.println("| confidence threshold | settled locally | precision on those |");
        System.out.println("|---|---|---|");
        for (double threshold : THRESHOLDS) {
            int settled = 0;
            int right = 0;
            for (int i = 0; i < n; i++) {
                if (withExamples.get(i).confidence() >= threshold) {
                    settled++;
                    right += rows.get(i).categories().contains(withExamples.get(i).category()) ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "| %.1f | %.1f %% | %.1f %% |%n", threshold, 100.0 * settled / n,
                    settled == 0 ? 0 : 100.0 * right / settled);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "speed on %d cores: zero-shot %.0f items/s; the 5-fold run %.0f items/s (one "
                + "thread, including embedding the examples of each fold)%n", Runtime.getRuntime().availableProcessors(),
                n / zeroShotSeconds, n / foldSeconds);
    }

    static long correct(List<Row> rows, List<LocalClassifier.Prediction> predictions) {
        long right = 0;
        for (int i = 0; i < rows.size(); i++) {
            right += rows.get(i).categories().contains(predictions.get(i).category()) ? 1 : 0;
        }
        return right;
    }

    static List<Row> read(Path csv) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<List<String>> records = dev.catalogclassifier.testsupport.BenchData.records(csv);
        for (List<String> fields : records.subList(1, records.size())) {
            // in the file's order: Set.of iterates in an order salted per JVM, and an item in two categories becomes
            // two examples in that order, which decides exact ties at the k-th neighbour, so figures changed by run
            rows.add(new Row(fields.get(1), fields.get(2),
                    java.util.Collections.unmodifiableSequencedSet(new java.util.LinkedHashSet<>(List.of(fields.get(3).split("\\|"))))));
        }
        return rows;
    }
}
