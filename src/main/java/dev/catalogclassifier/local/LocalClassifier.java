package dev.catalogclassifier.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.catalogclassifier.cpu.FairPool;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.quarkus.runtime.StartupEvent;

/**
 * Classifies text with no key and no network: all-MiniLM-L6-v2 (quantized, shipped inside a Maven artifact)
 * embeds the item, and the item goes to the category whose label (name and description) is nearest, or, when
 * the taxonomy has labelled examples, to the category its nearest examples vote for, with the labels' say added
 * ({@link Scoring}). Examples of about the item's size count as nearer ({@link Dimensions}).
 * <p>
 * The model is loaded once, on first use, and shared; ONNX Runtime runs it on the calling thread, so callers
 * keep it off the event loop.
 */
@ApplicationScoped
public class LocalClassifier {

    /** What results report as their {@code model}. */
    public static final String MODEL = "local-minilm-l6-v2-q";
    /**
     * How examples and labels are scored: the candidate a 5-fold cross-validation over all of ikea-dev chooses;
     * the accuracy to quote is the nested procedure's (docs/benchmarks.md).
     */
    public static final Scoring SCORING = new Scoring(10, 0.05, 0.5, 0.05, 0.2, 0.25);
    /** Items embedded in one go: large requests are classified in chunks, so results still stream. */
    public static final int CHUNK = 32;

    /**
     * Label vectors kept per pod, counted in labels: 60,000 take about 90 MB. Google's taxonomy takes seconds to
     * embed, so a caller who sends the same list again (inline, or in a PUT that only changes the examples) should
     * not wait again.
     */
    static final int MAX_CACHED_LABELS = 60_000;

    private volatile EmbeddingModel model;
    /** Label vectors by the SHA-256 of their label texts, least recently used first; guarded by itself. */
    private final Map<String, CachedLabels> labelCache = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private int cachedLabels;

    private record CachedLabels(int labels, CompletableFuture<float[][]> vectors) {
    }

    /** The classifier's threads, one per core, taking turns between tenants and their requests and jobs. */
    private final FairPool cpu;
    private final Map<String, String> descriptions;
    private boolean warmUp;

    /** For the benchmarks: no descriptions configured, one thread per core. */
    public LocalClassifier() {
        this(Map.of(), 0);
    }

    @Inject
    public LocalClassifier(LocalConfig config) {
        this(config.descriptions(), config.threads());
        this.warmUp = config.warmUp();
    }

    /** Loads the model on one of the classifier's threads once the service has started ({@link LocalConfig#warmUp()}). */
    void warmUp(@Observes StartupEvent start) {
        if (warmUp) {
            cpu.execute(() -> embed(List.of("warm-up")));
        }
    }

    /** Whether the model is loaded, or need not be yet (no warm-up): what readiness waits for. */
    public boolean warmedUp() {
        return !warmUp || model != null;
    }

    private LocalClassifier(Map<String, String> descriptions, int threads) {
        this.descriptions = descriptions;
        this.cpu = new FairPool("local-classifier", threads);
    }

    @PreDestroy
    void close() {
        cpu.shutdown();
    }

    /**
     * Classifies items on the classifier's own threads, one per core: CPU-bound work never runs on the event loop
     * or on a virtual thread per item.
     */
    public CompletableFuture<List<Prediction>> classifyAsync(Supplier<Prepared> taxonomy, List<Input> items) {
        return CompletableFuture.supplyAsync(() -> classifyAll(taxonomy.get(), items), cpu);
    }

    /**
     * Classifies items against a taxonomy being prepared, on the classifier's threads, and gives each its
     * {@code k} best categories too (none when {@code k} is 0): the shortlist a large taxonomy's model call
     * chooses from, and what {@code explain} shows.
     */
    public CompletableFuture<List<Ranking>> rankAsync(CompletableFuture<Prepared> taxonomy, List<Input> items, int k,
            double voteShare, String tenant, Object flow) {
        return taxonomy.thenCompose(prepared -> cpu.supply(tenant, flow, () -> rankAll(prepared, items, k, voteShare)));
    }

    /** {@link #classifyAll} with each item's {@code k} best categories, the head mixed in at {@code voteShare}. */
    public List<Ranking> rankAll(Prepared taxonomy, List<Input> items, int k, double voteShare) {
        return rank(taxonomy, embed(items.stream().map(Input::text).toList()),
                items.stream().map(Input::size).toArray(Dimensions[]::new), SCORING, k, voteShare);
    }

    /**
     * Items already embedded, ranked: each item's best category with its confidence, and its {@code k} best. Where the
     * taxonomy has a head, an item's scores are {@code voteShare} × the vote's plus the rest × the head's (both sum
     * to 1); the share is the one the taxonomy's calibration chose for the cascade's target ({@code Cascades}).
     */
    public static List<Ranking> rank(Prepared taxonomy, float[][] items, Dimensions[] sizes, Scoring scoring, int k,
            double voteShare) {
        double[] fresh = new double[items.length];
        double[][] scores = Vectors.scores(taxonomy, items, sizes, scoring, fresh);
        if (taxonomy.head() != null && voteShare < 1) {
            Vectors.mixHead(taxonomy.head(), items, scores, voteShare, fresh);
        }
        List<Ranking> rankings = new ArrayList<>(items.length);
        for (int j = 0; j < scores.length; j++) {
            double[] score = scores[j];
            int[] best = Vectors.top(score, Math.max(1, k));
            Prediction prediction = new Prediction(taxonomy.categories().get(best[0]), score[best[0]]);
            List<Candidate> candidates = k == 0 ? List.of() : java.util.Arrays.stream(best)
                    .mapToObj(c -> new Candidate(taxonomy.categories().get(c), Math.round(score[c] * 10_000) / 10_000.0))
                    .toList();
            rankings.add(new Ranking(prediction, candidates, items[j]));
        }
        return rankings;
    }

    /**
     * Embeds example texts (made with {@link ItemText}) on the classifier's threads, each distinct text once, in
     * chunks spread over all of them.
     */
    public CompletableFuture<float[][]> embedExamplesAsync(List<String> normalised) {
        List<String> distinct = normalised.stream().distinct().toList();
        return embedAsync(distinct).thenApply(vectors -> {
            Map<String, float[]> byText = new HashMap<>();
            for (int i = 0; i < distinct.size(); i++) {
                byText.put(distinct.get(i), vectors[i]);
            }
            return normalised.stream().map(byText::get).toArray(float[][]::new);
        });
    }

    /**
     * Embeds texts in chunks of {@link #CHUNK} on the classifier's threads; vectors in the order of the texts. The
     * texts are chunked in order of length, since the model pads every text of a chunk to the longest; on Google's
     * taxonomy that saves a few per cent (6.9 s → 6.7 s warm on 2 cores), not more.
     */
    public CompletableFuture<float[][]> embedAsync(List<String> texts) {
        Integer[] byLength = new Integer[texts.size()];
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = i;
        }
        java.util.Arrays.sort(byLength, java.util.Comparator.comparingInt(i -> texts.get(i).length()));
        List<CompletableFuture<float[][]>> chunks = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += CHUNK) {
            List<String> chunk = java.util.Arrays.stream(byLength, from, Math.min(texts.size(), from + CHUNK))
                    .map(texts::get).toList();
            chunks.add(CompletableFuture.supplyAsync(() -> embed(chunk), cpu));
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).thenApply(done -> {
            float[][] vectors = new float[texts.size()][];
            int at = 0;
            for (CompletableFuture<float[][]> chunk : chunks) {
                for (float[] vector : chunk.join()) {
                    vectors[byLength[at++]] = vector;
                }
            }
            return vectors;
        });
    }

    /**
     * A taxonomy with examples embedded already (stored with it), its head (null without one), and its labels:
     * stored with it too, or, for one stored before labels were ({@code labels} null), embedded now on the
     * classifier's threads.
     */
    public CompletableFuture<Prepared> prepareAsync(List<String> categories, Map<String, String> descriptions,
            float[][] labels, float[][] examples, int[] exampleLabels, Dimensions[] exampleSizes, SoftmaxHead head) {
        CompletableFuture<float[][]> labelled = labels != null ? CompletableFuture.completedFuture(labels)
                : labelsAsync(labelTexts(categories, descriptions));
        return labelled.thenApply(vectors -> new Prepared(List.copyOf(categories), vectors, examples, exampleLabels,
                exampleSizes, head));
    }

    /**
     * A taxonomy with no examples: its labels, described by the configured descriptions, embedded on all the
     * classifier's threads and kept by content ({@link #labelsAsync}).
     */
    public CompletableFuture<Prepared> zeroShotAsync(List<String> categories) {
        List<String> names = List.copyOf(categories);
        return labelsAsync(labelTexts(categories, descriptions)).thenApply(vectors -> new Prepared(names, vectors));
    }

    /**
     * Label texts ({@link #labelTexts}) embedded on all the classifier's threads, kept by the hash of the texts (up
     * to {@link #MAX_CACHED_LABELS} labels in all) and shared: callers that send the same list at once wait for one
     * embedding. The vectors are shared too, so callers never write to them.
     */
    public CompletableFuture<float[][]> labelsAsync(List<String> texts) {
        String key = sha256(texts);
        synchronized (labelCache) {
            CachedLabels known = labelCache.get(key);
            if (known != null && !known.vectors().isCompletedExceptionally()) {
                return known.vectors();
            }
            CachedLabels added = new CachedLabels(texts.size(), embedAsync(texts));
            CachedLabels replaced = labelCache.put(key, added);
            cachedLabels += added.labels() - (replaced == null ? 0 : replaced.labels());
            var eldest = labelCache.values().iterator();
            while (cachedLabels > MAX_CACHED_LABELS && labelCache.size() > 1) {
                cachedLabels -= eldest.next().labels();
                eldest.remove();
            }
            return added.vectors();
        }
    }

    /** {@link #zeroShotAsync}, waited for: for benchmarks and callers already off the event loop. */
    public Prepared zeroShot(List<String> categories) {
        return zeroShotAsync(categories).join();
    }

    private static String sha256(List<String> texts) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            texts.forEach(t -> digest.update((t + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How examples and labels become a category. An example's similarity to an item is the cosine of their
     * texts plus {@code sizeWeight} times the similarity of their sizes ({@link Dimensions#similarity}, at
     * {@code sizeScale}). The {@code neighbours} nearest examples vote, each with weight
     * {@code exp((similarity - 1) / neighbourTemperature)} (0 means the similarity itself), so near-identical
     * examples outvote merely related ones; {@code labelWeight} adds the zero-shot label probabilities, at
     * {@code labelTemperature}, which alone decide when a taxonomy has no examples.
     */
    public record Scoring(int neighbours, double neighbourTemperature, double labelWeight, double labelTemperature,
            double sizeWeight, double sizeScale) {
    }

    /** What the classifier reads of an item: its text (made with {@link ItemText}) and its sizes. */
    public record Input(String text, Dimensions size) {

        public static Input of(ItemText itemText, String name, String description) {
            return new Input(itemText.of(name, description), ItemText.sizesOf(name, description));
        }
    }

    /** A labelled example: an item text, its sizes and its category. */
    public record Example(String text, Dimensions size, String category) {
    }

    /** A category and how sure the classifier is, in 0..1. */
    public record Prediction(String category, double confidence) {
    }

    /**
     * One of an item's likeliest categories and its score (the categories' scores for an item sum to 1); results
     * carry these as {@code candidates}.
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Candidate(String category, double score) {
    }

    /**
     * An item's best category, its likeliest categories, best first (empty unless asked for), and the vector it was
     * scored from (what a trusted answer about it is learnt with).
     */
    public record Ranking(Prediction prediction, List<Candidate> candidates, float[] vector) {

        /**
         * The score of {@code category} among the candidates; 0 when it is not among them (its score is below theirs: a
         * shortlist's last is a few hundredths at most).
         */
        public double scoreOf(String category) {
            for (Candidate c : candidates) {
                if (c.category().equals(category)) {
                    return c.score();
                }
            }
            return 0;
        }
    }

    /**
     * A taxonomy ready to classify against: its label vectors and, when there are examples, their vectors,
     * categories (indexes into {@code categories}) and sizes, index for index.
     */
    public record Prepared(List<String> categories, float[][] labels, float[][] examples, int[] exampleLabels,
            Dimensions[] exampleSizes, SoftmaxHead head, int headExamples) {

        public Prepared {
            if (examples.length != exampleLabels.length || examples.length != exampleSizes.length) {
                throw new IllegalArgumentException("examples, their labels and their sizes must match one for one");
            }
            if (headExamples < 0 || headExamples > examples.length) {
                throw new IllegalArgumentException("the head knows at most the examples there are");
            }
            if (head != null && head.classes() != categories.size()) {
                throw new IllegalArgumentException("the head must score every category");
            }
        }

        /** Examples and a head trained on all of them (null: none). */
        public Prepared(List<String> categories, float[][] labels, float[][] examples, int[] exampleLabels,
                Dimensions[] exampleSizes, SoftmaxHead head) {
            this(categories, labels, examples, exampleLabels, exampleSizes, head, examples.length);
        }

        /** Examples without a trained head: the neighbour vote alone. */
        public Prepared(List<String> categories, float[][] labels, float[][] examples, int[] exampleLabels,
                Dimensions[] exampleSizes) {
            this(categories, labels, examples, exampleLabels, exampleSizes, null);
        }

        /** Labels only: zero-shot. */
        public Prepared(List<String> categories, float[][] labels) {
            this(categories, labels, new float[0][], new int[0], new Dimensions[0]);
        }

        /** The same taxonomy with a supervised head trained on its examples. */
        public Prepared withHead(SoftmaxHead trained) {
            return new Prepared(categories, labels, examples, exampleLabels, exampleSizes, trained);
        }

        /**
         * The same taxonomy whose head was trained on its first {@code known} examples only: those after came since
         * (learnt, added), and the head has not seen them ({@link Vectors#mixHead}).
         */
        public Prepared withHeadOf(int known) {
            return new Prepared(categories, labels, examples, exampleLabels, exampleSizes, head, Math.min(known, examples.length));
        }

        /** The same taxonomy with more examples after its own (learnt or added since it was stored); the same head. */
        public Prepared withExamples(float[][] more, int[] moreLabels, Dimensions[] moreSizes) {
            if (more.length == 0) {
                return this;
            }
            float[][] allExamples = java.util.Arrays.copyOf(examples, examples.length + more.length);
            System.arraycopy(more, 0, allExamples, examples.length, more.length);
            int[] allLabels = java.util.Arrays.copyOf(exampleLabels, exampleLabels.length + moreLabels.length);
            System.arraycopy(moreLabels, 0, allLabels, exampleLabels.length, moreLabels.length);
            Dimensions[] allSizes = java.util.Arrays.copyOf(exampleSizes, exampleSizes.length + moreSizes.length);
            System.arraycopy(moreSizes, 0, allSizes, exampleSizes.length, moreSizes.length);
            return new Prepared(categories, labels, allExamples, allLabels, allSizes, head, headExamples);
        }

        public boolean hasExamples() {
            return examples.length > 0;
        }
    }

    public Prepared prepare(List<String> categories, Map<String, String> descriptions, Collection<Example> examples) {
        List<String> labelTexts = labelTexts(categories, descriptions);
        List<Example> usable = examples.stream().filter(e -> categories.contains(e.category())).toList();
        int[] exampleLabels = usable.stream().mapToInt(e -> categories.indexOf(e.category())).toArray();
        return new Prepared(List.copyOf(categories), embed(labelTexts),
                embed(usable.stream().map(Example::text).toList()), exampleLabels,
                usable.stream().map(Example::size).toArray(Dimensions[]::new));
    }

    /** What the model reads for each category: its name, and its description when there is one. */
    public static List<String> labelTexts(List<String> categories, Map<String, String> descriptions) {
        return categories.stream().map(c -> descriptions.containsKey(c) ? c + ": " + descriptions.get(c) : c).toList();
    }

    /** Classifies many items with one batched call into the model. */
    public List<Prediction> classifyAll(Prepared taxonomy, List<Input> items) {
        return classify(taxonomy, embed(items.stream().map(Input::text).toList()),
                items.stream().map(Input::size).toArray(Dimensions[]::new), SCORING);
    }

    /**
     * Items already embedded with {@link #embed}, with their sizes, classified together by the neighbour vote alone:
     * one pass over the examples serves them all. Public with its scoring for the benchmark's model selection.
     */
    public static List<Prediction> classify(Prepared taxonomy, float[][] items, Dimensions[] sizes, Scoring scoring) {
        return classify(taxonomy, items, sizes, scoring, 1);
    }

    /**
     * Every category's score for each item (summing to 1), from the neighbour vote alone: the calibration mixes the
     * head in itself, at each share it tries.
     */
    public static double[][] voteScores(Prepared taxonomy, float[][] items, Dimensions[] sizes, Scoring scoring) {
        return Vectors.scores(taxonomy, items, sizes, scoring, null);
    }

    /** {@link #classify} with the taxonomy's head mixed in at {@code voteShare}. */
    public static List<Prediction> classify(Prepared taxonomy, float[][] items, Dimensions[] sizes, Scoring scoring,
            double voteShare) {
        return rank(taxonomy, items, sizes, scoring, 0, voteShare).stream().map(Ranking::prediction).toList();
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
                    model = MiniLm.load();
                }
                loaded = model;
            }
        }
        return loaded;
    }
}
