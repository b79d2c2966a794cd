package dev.catalogclassifier.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.LocalClassifier;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

/**
 * Every in-process embedding model LangChain4j publishes on Maven Central, measured on ikea-dev as the shipped one
 * is: zero-shot, and with examples by the nested selection ({@link NestedSelection}, the same folds as
 * {@link AccuracyBenchmark}). Each model gets the same candidate grid, with temperatures low enough for models whose
 * similarities crowd near 1. Models whose artifact is not on the classpath are skipped; {@code bench/models.sh}
 * puts them there, so the build itself carries only the shipped one. Answers whether another model served here
 * would do better, and at what speed.
 */
public final class ModelComparison {

    /** An artifact {@code dev.langchain4j:langchain4j-embeddings-<artifact>}, its model class and its input prefix. */
    private record Model(String artifact, String className, String prefix) {
    }

    private static final String ONNX = "dev.langchain4j.model.embedding.onnx.";
    /** e5 is trained with "query: " before both sides of a symmetric comparison (its model card). */
    private static final List<Model> MODELS = List.of(
            new Model("all-minilm-l6-v2-q", ONNX + "allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel", ""),
            new Model("all-minilm-l6-v2", ONNX + "allminilml6v2.AllMiniLmL6V2EmbeddingModel", ""),
            new Model("bge-small-en-v15-q", ONNX + "bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel", ""),
            new Model("bge-small-en-v15", ONNX + "bgesmallenv15.BgeSmallEnV15EmbeddingModel", ""),
            new Model("bge-small-en-q", ONNX + "bgesmallenq.BgeSmallEnQuantizedEmbeddingModel", ""),
            new Model("bge-small-en", ONNX + "bgesmallen.BgeSmallEnEmbeddingModel", ""),
            new Model("e5-small-v2-q", ONNX + "e5smallv2q.E5SmallV2QuantizedEmbeddingModel", "query: "),
            new Model("e5-small-v2", ONNX + "e5smallv2.E5SmallV2EmbeddingModel", "query: "));

    private ModelComparison() {
    }

    /** The data, read once and shared by every model's measurement. */
    private record Bench(List<AccuracyBenchmark.Row> rows, List<String> categories, List<String> labelTexts,
            Dimensions[] sizes) {
    }

    /** {@code <ikea-dev.csv> <taxonomy.json>}. */
    public static void main(String[] args) throws Exception {
        List<AccuracyBenchmark.Row> rows = AccuracyBenchmark.read(Path.of(args[0]));
        JsonNode taxonomy = new ObjectMapper().readTree(Path.of(args[1]).toFile());
        List<String> categories = new ObjectMapper().convertValue(taxonomy.path("categories"), new TypeReference<>() { });
        Map<String, String> descriptions = new ObjectMapper().convertValue(taxonomy.path("descriptions"), new TypeReference<>() { });
        Bench bench = new Bench(rows, categories, LocalClassifier.labelTexts(categories, descriptions),
                rows.stream().map(AccuracyBenchmark.Row::sizes).toArray(Dimensions[]::new));
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        List<String> table = new ArrayList<>();
        for (Model model : MODELS) {
            EmbeddingModel embedder = load(model, pool);
            table.add(embedder == null ? "| " + model.artifact() + " | not on the classpath (run bench/models.sh) | | | |"
                    : measure(bench, model, embedder));
        }
        pool.shutdown();
        System.out.println();
        System.out.println("| model (langchain4j-embeddings-…) | zero-shot | with examples, nested | per outer fold | embedded items/s on "
                + cores + " cores |");
        System.out.println("|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    /** One model's row of the table: zero-shot, nested with examples, per outer fold, and embedding speed. */
    private static String measure(Bench bench, Model model, EmbeddingModel embedder) {
        List<String> texts = bench.rows().stream().map(r -> model.prefix() + r.text()).toList();
        embed(embedder, texts.subList(0, Math.min(200, texts.size()))); // warm-up
        long start = System.nanoTime();
        float[][] items = embed(embedder, texts);
        double itemsPerSecond = texts.size() / ((System.nanoTime() - start) / 1e9);
        float[][] labels = embed(embedder, bench.labelTexts().stream().map(t -> model.prefix() + t).toList());
        List<LocalClassifier.Prediction> zeroShot = LocalClassifier.classify(
                new LocalClassifier.Prepared(bench.categories(), labels), items, bench.sizes(), LocalClassifier.SCORING);
        NestedSelection.Outcome nested = nested(bench.rows(), bench.categories(), labels, items, bench.sizes());
        System.out.println(model.artifact() + ", nested: " + nested);
        return String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %s | %.0f |", model.artifact(),
                100.0 * AccuracyBenchmark.correct(bench.rows(), zeroShot) / bench.rows().size(), 100 * nested.accuracy(),
                nested.folds().stream().map(f -> String.format(Locale.ROOT, "%.1f", 100 * f.accuracy()))
                        .collect(java.util.stream.Collectors.joining(", ")) + " %", itemsPerSecond);
    }

    private static NestedSelection.Outcome nested(List<AccuracyBenchmark.Row> rows, List<String> categories,
            float[][] labels, float[][] items, Dimensions[] sizes) {
        List<NestedSelection.Candidate> candidates = new ArrayList<>();
        LocalClassifier.Scoring shipped = LocalClassifier.SCORING;
        for (int k : new int[] { 20, 50 }) {
            for (double temperature : new double[] { 0.01, 0.02, 0.05, 0.1 }) {
                for (double sizeWeight : new double[] { 0, 0.05, 0.1, 0.2 }) {
                    candidates.add(new NestedSelection.Candidate("description", new LocalClassifier.Scoring(k, temperature, 0,
                            shipped.labelTemperature(), sizeWeight, shipped.sizeScale())));
                }
            }
        }
        return new NestedSelection(categories, rows.stream().map(AccuracyBenchmark.Row::categories).toList(), labels,
                Map.of("description", items), sizes, i -> AccuracyBenchmark.fold(rows.get(i)),
                i -> AccuracyBenchmark.innerFold(rows.get(i)), 5).run(candidates);
    }

    private static float[][] embed(EmbeddingModel model, List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> e.vector()).toArray(float[][]::new);
    }

    /** The model, embedding on {@code pool}; null when its artifact is not on the classpath. */
    private static EmbeddingModel load(Model model, Executor pool) throws ReflectiveOperationException {
        try {
            return (EmbeddingModel) Class.forName(model.className()).getConstructor(Executor.class).newInstance(pool);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
