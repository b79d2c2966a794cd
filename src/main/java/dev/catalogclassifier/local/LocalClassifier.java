package dev.catalogclassifier.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * Classifies text with no key and no network: all-MiniLM-L6-v2 (quantized, shipped inside a Maven artifact)
 * embeds the item, and the item goes to the category whose label (name and description) is nearest, or, when
 * the taxonomy has labelled examples, to the category its nearest examples vote for.
 * <p>
 * The model is loaded once, on first use, and shared; ONNX Runtime runs it on the calling thread, so callers
 * keep it off the event loop.
 */
@ApplicationScoped
public class LocalClassifier {

    /** What results report as their {@code model}. */
    public static final String MODEL = "local-minilm-l6-v2-q";
    /** Nearest examples that vote. Chosen up front, not tuned on the benchmark's folds. */
    static final int NEIGHBOURS = 10;
    /** Softmax temperature for zero-shot confidence: cosine gaps between labels are small, so sharpen them. */
    static final double TEMPERATURE = 0.05;

    private volatile EmbeddingModel model;
    private final Map<List<String>, Prepared> zeroShot = new ConcurrentHashMap<>();
    private final ExecutorService cpu;
    private final Map<String, String> descriptions;

    /** For the benchmark: no descriptions configured, one thread. */
    public LocalClassifier() {
        this(Map.of(), 1);
    }

    @Inject
    public LocalClassifier(LocalConfig config) {
        this(config.descriptions(), config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors());
    }

    private LocalClassifier(Map<String, String> descriptions, int threads) {
        this.descriptions = descriptions;
        this.cpu = Executors.newFixedThreadPool(Math.max(1, threads), Thread.ofPlatform().name("local-classifier-", 0).daemon().factory());
    }

    @PreDestroy
    void close() {
        cpu.shutdown();
    }

    /**
     * Classifies one item against a taxonomy's labels (zero-shot, with the configured descriptions), on the
     * classifier's own threads, one per core: CPU-bound work never runs on the event loop or on a virtual
     * thread per item.
     */
    public CompletableFuture<Prediction> classifyAsync(List<String> categories, String text) {
        return CompletableFuture.supplyAsync(() -> classify(zeroShot(categories), text), cpu);
    }

    private Prepared zeroShot(List<String> categories) {
        Prepared prepared = zeroShot.get(categories);
        if (prepared == null) {
            if (zeroShot.size() > 100) {
                zeroShot.clear(); // bounded: a prepared taxonomy is cheap to build again
            }
            prepared = prepare(categories, descriptions, List.of());
            zeroShot.put(List.copyOf(categories), prepared);
        }
        return prepared;
    }

    /** A labelled example: an item text and its category. */
    public record Example(String text, String category) {
    }

    /** A category and how sure the classifier is, in 0..1. */
    public record Prediction(String category, double confidence) {
    }

    /** A taxonomy ready to classify against: its label vectors and, when there are examples, theirs. */
    public record Prepared(List<String> categories, float[][] labels, float[][] examples, int[] exampleLabels) {
        public boolean hasExamples() {
            return examples.length > 0;
        }
    }

    /** The text that stands for an item: its name and description, as a shopper would read them. */
    public static String text(String name, String description) {
        if (description == null || description.isBlank()) {
            return name.strip();
        }
        return name.strip() + ", " + description.strip();
    }

    public Prepared prepare(List<String> categories, Map<String, String> descriptions, Collection<Example> examples) {
        List<String> labelTexts = categories.stream()
                .map(c -> descriptions.containsKey(c) ? c + ": " + descriptions.get(c) : c).toList();
        List<Example> usable = examples.stream().filter(e -> categories.contains(e.category())).toList();
        int[] exampleLabels = usable.stream().mapToInt(e -> categories.indexOf(e.category())).toArray();
        return new Prepared(List.copyOf(categories), embed(labelTexts),
                embed(usable.stream().map(Example::text).toList()), exampleLabels);
    }

    public Prediction classify(Prepared taxonomy, String text) {
        return classify(taxonomy, embed(List.of(text))[0]);
    }

    /** Classifies many texts with one batched call into the model. */
    public List<Prediction> classifyAll(Prepared taxonomy, List<String> texts) {
        float[][] vectors = embed(texts);
        List<Prediction> predictions = new ArrayList<>(texts.size());
        for (float[] vector : vectors) {
            predictions.add(classify(taxonomy, vector));
        }
        return predictions;
    }

    /** Classifies an item already embedded with {@link #embed}. */
    public Prediction classify(Prepared taxonomy, float[] item) {
        return classify(taxonomy, item, NEIGHBOURS);
    }

    /** The same, with another neighbour count (for the benchmark's model selection). */
    public Prediction classify(Prepared taxonomy, float[] item, int neighbours) {
        return taxonomy.hasExamples() ? Vectors.vote(taxonomy, item, neighbours)
                : Vectors.nearestLabel(taxonomy, item, TEMPERATURE);
    }

    /** The neighbour vote blended with the label probabilities (for the benchmark's model selection). */
    public Prediction classify(Prepared taxonomy, float[] item, int neighbours, double labelWeight) {
        return Vectors.blend(taxonomy, item, neighbours, labelWeight, TEMPERATURE);
    }

    public float[][] embed(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model().embedAll(segments).content().stream().map(e -> e.vector()).toArray(float[][]::new);
    }

    private EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    model = new AllMiniLmL6V2QuantizedEmbeddingModel();
                }
                loaded = model;
            }
        }
        return loaded;
    }
}
