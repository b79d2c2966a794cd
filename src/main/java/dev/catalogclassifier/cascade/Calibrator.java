package dev.catalogclassifier.cascade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.cpu.CpuPool;
import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.local.SoftmaxHead;

/**
 * Calibrates a taxonomy's cascade when it is stored: a grouped k-fold cross-validation over its own examples,
 * each fold's examples classified by the local classifier against the other folds', exactly as items will be.
 * The examples are embedded already, so this is arithmetic; the folds run in parallel on a pool of one thread per
 * core of its own, so a large taxonomy's calibration does not hold up items being classified. A taxonomy with more
 * than {@link CascadeConfig#maxExamples()} examples is calibrated on a sample of whole groups, and says so. Where it
 * pays (small enough to train in seconds), a supervised head is trained too, per fold and on all the examples, and
 * each mix of vote and head is calibrated: the cascade then scores with the mix that settles most at its target.
 */
@ApplicationScoped
public class Calibrator {

    private final CascadeConfig config;
    private final ExecutorService pool;

    public Calibrator(CascadeConfig config) {
        this.config = config;
        this.pool = CpuPool.of("calibration", config.threads());
    }

    @PreDestroy
    public void close() {
        pool.shutdown();
    }

    /**
     * The examples of a taxonomy, index for index with its prepared vectors: their groups, and which item each
     * is of. An item in several categories is several examples of one item, and right with any of them; two items
     * that share a text are two items (IKEA's "Frame" is a wardrobe's and a TV bench's in one series), and an
     * answer right for one is wrong for the other.
     */
    public record Examples(LocalClassifier.Prepared prepared, int[] items, List<String> groups, GroupBy groupedBy) {

        public Examples {
            if (items.length != prepared.examples().length || groups.size() != items.length) {
                throw new IllegalArgumentException("one item and one group per example");
            }
        }

        /** Items as a taxonomy gives them: consecutive examples with the same identity (their fields) are one item. */
        public static int[] itemsOf(List<String> texts) {
            int[] items = new int[texts.size()];
            for (int i = 1; i < items.length; i++) {
                items[i] = texts.get(i).equals(texts.get(i - 1)) ? items[i - 1] : items[i - 1] + 1;
            }
            return items;
        }
    }

    /**
     * What calibrating a taxonomy gives: a calibration per share of the vote tried (the vote's alone when no head was
     * trained; none when there were too few groups to hold any out), and the head trained on all its examples.
     */
    public record Calibrated(List<Calibration> calibrations, SoftmaxHead head) {

        public static final Calibrated NONE = new Calibrated(List.of(), null);
    }

    /**
     * Cross-validates {@code examples}. When the taxonomy is small enough ({@link CascadeConfig#headMaxSize()}), each
     * fold also trains a head on the other folds' examples, and the held-out examples are scored at each share in
     * {@link #VOTE_SHARES}; the final head is trained on all the examples beside the folds.
     */
    public CompletableFuture<Calibrated> calibrate(Examples examples) {
        int[] sample = sample(examples);
        int[] fold = folds(examples.groups(), sample, config.folds());
        if (fold == null) {
            return CompletableFuture.completedFuture(Calibrated.NONE);
        }
        LocalClassifier.Prepared all = examples.prepared();
        boolean withHead = trainsHead(all);
        double[] shares = withHead ? VOTE_SHARES : new double[] { 1 };
        CompletableFuture<SoftmaxHead> head = withHead
                ? CompletableFuture.supplyAsync(() -> SoftmaxHead.train(all.examples(), all.exampleLabels(), all.categories().size()), pool)
                : CompletableFuture.completedFuture(null);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        float[][] confidences = new float[shares.length][sample.length];
        boolean[][] correct = new boolean[shares.length][sample.length];
        Evidence[][] evidence = new Evidence[shares.length][config.folds()];
        for (int f = 0; f < config.folds(); f++) {
            int held = f;
            running.add(CompletableFuture.runAsync(() -> holdOut(examples, sample, fold, held, shares, withHead,
                    new Outcomes(confidences, correct, evidence)), pool));
        }
        int total = examples.items().length;
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).thenCombine(head, (done, trained) -> {
            List<Calibration> calibrations = new ArrayList<>();
            for (int k = 0; k < shares.length; k++) {
                Evidence spread = Evidence.empty();
                for (Evidence ofFold : evidence[k]) {
                    spread.addAll(ofFold);
                }
                calibrations.add(new Calibration(confidences[k], correct[k], config.folds(), examples.groupedBy(), total, shares[k],
                        spread));
            }
            return new Calibrated(List.copyOf(calibrations), trained);
        });
    }

    /**
     * The shares of the neighbour vote in the local score that the calibration tries when there is a head, the vote
     * alone first (it wins ties). More shares cost only arithmetic; the nested benchmark measures what choosing among
     * them costs in optimism.
     */
    static final double[] VOTE_SHARES = { 1, 0.75, 0.5, 0.25, 0 };

    /**
     * Whether a head is trained: its training costs examples × categories × 385 multiply-adds a step, twice, for
     * 300 steps, six times over (five folds and the final head).
     */
    boolean trainsHead(LocalClassifier.Prepared prepared) {
        return (long) prepared.examples().length * prepared.categories().size() <= config.headMaxSize();
    }

    /**
     * Each share's held-out confidences and rightness, by position in the sample, and the spread of its local scores
     * (by share and fold); each fold writes its own.
     */
    private record Outcomes(float[][] confidences, boolean[][] correct, Evidence[][] evidence) {
    }

    /** Classifies fold {@code held} of the sample against every example outside it, at each vote share. */
    private static void holdOut(Examples examples, int[] sample, int[] fold, int held, double[] shares, boolean withHead,
            Outcomes outcomes) {
        LocalClassifier.Prepared all = examples.prepared();
        Set<Integer> test = new HashSet<>();
        for (int s = 0; s < sample.length; s++) {
            if (fold[s] == held) {
                test.add(sample[s]);
            }
        }
        int[] train = java.util.stream.IntStream.range(0, all.examples().length).filter(i -> !test.contains(i)).toArray();
        int[] trainLabels = Arrays.stream(train).map(i -> all.exampleLabels()[i]).toArray();
        LocalClassifier.Prepared trained = new LocalClassifier.Prepared(all.categories(), all.labels(),
                pick(all.examples(), train), trainLabels, Arrays.stream(train).mapToObj(i -> all.exampleSizes()[i]).toArray(Dimensions[]::new));
        int[] asked = java.util.stream.IntStream.range(0, sample.length).filter(s -> fold[s] == held).toArray();
        int[] ids = Arrays.stream(asked).map(s -> sample[s]).toArray();
        float[][] vectors = pick(all.examples(), ids);
        double[][] votes = LocalClassifier.voteScores(trained, vectors, Arrays.stream(ids).mapToObj(i -> all.exampleSizes()[i])
                .toArray(Dimensions[]::new), LocalClassifier.SCORING);
        double[][] head = withHead ? probabilities(SoftmaxHead.train(trained.examples(), trainLabels, all.categories().size()), vectors)
                : votes;
        Map<Integer, Set<String>> categoriesOfItem = categoriesOfItem(examples);
        for (int k = 0; k < shares.length; k++) {
            Evidence seen = Evidence.empty();
            outcomes.evidence()[k][held] = seen;
            for (int a = 0; a < asked.length; a++) {
                int best = best(votes[a], head[a], shares[k]);
                outcomes.confidences()[k][asked[a]] = (float) (shares[k] * votes[a][best] + (1 - shares[k]) * head[a][best]);
                Set<String> own = categoriesOfItem.get(examples.items()[ids[a]]);
                outcomes.correct()[k][asked[a]] = own.contains(all.categories().get(best));
                scoreSpread(own, all.categories(), votes[a], head[a], shares[k], seen);
            }
        }
    }

    /** Counts the mixed score of the best of an item's own categories, and the scores of the others. */
    private static void scoreSpread(Set<String> own, List<String> categories, double[] vote, double[] head, double voteShare,
            Evidence seen) {
        double right = Double.NEGATIVE_INFINITY;
        double[] others = new double[categories.size()];
        int n = 0;
        for (int c = 0; c < vote.length; c++) {
            double score = voteShare * vote[c] + (1 - voteShare) * head[c];
            if (own.contains(categories.get(c))) {
                right = Math.max(right, score);
            } else {
                others[n++] = score;
            }
        }
        seen.add(right, Arrays.copyOf(others, n));
    }

    private static double[][] probabilities(SoftmaxHead head, float[][] vectors) {
        double[][] p = new double[vectors.length][head.classes()];
        for (int j = 0; j < vectors.length; j++) {
            head.probabilities(vectors[j], p[j]);
        }
        return p;
    }

    /** The best category of the mixed score; on a tie the earlier, as {@link LocalClassifier#rank} breaks them. */
    private static int best(double[] vote, double[] head, double voteShare) {
        int best = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < vote.length; c++) {
            double s = voteShare * vote[c] + (1 - voteShare) * head[c];
            if (s > top) {
                top = s;
                best = c;
            }
        }
        return best;
    }

    private static Map<Integer, Set<String>> categoriesOfItem(Examples examples) {
        Map<Integer, Set<String>> byItem = new HashMap<>();
        LocalClassifier.Prepared all = examples.prepared();
        for (int i = 0; i < examples.items().length; i++) {
            byItem.computeIfAbsent(examples.items()[i], t -> new HashSet<>()).add(all.categories().get(all.exampleLabels()[i]));
        }
        return byItem;
    }

    private static float[][] pick(float[][] vectors, int[] indexes) {
        return Arrays.stream(indexes).mapToObj(i -> vectors[i]).toArray(float[][]::new);
    }

    /**
     * The examples cross-validated: all of them, or whole groups (in an order fixed by their names' hashes) up to
     * {@link CascadeConfig#maxExamples()} when there are more.
     */
    private int[] sample(Examples examples) {
        int n = examples.items().length;
        if (n <= config.maxExamples()) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        Map<String, List<Integer>> byGroup = byGroup(examples.groups(), java.util.stream.IntStream.range(0, n).toArray());
        List<String> order = new ArrayList<>(byGroup.keySet());
        order.sort(Comparator.comparingInt((String g) -> mix(g.hashCode())).thenComparing(g -> g));
        List<Integer> chosen = new ArrayList<>();
        for (String g : order) {
            if (chosen.size() + byGroup.get(g).size() > config.maxExamples() && !chosen.isEmpty()) {
                continue;
            }
            chosen.addAll(byGroup.get(g));
        }
        return chosen.stream().sorted().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Each sampled example's fold: whole groups, largest first, each to the fold with the fewest examples so far, so
     * the folds are of about one size. Null when there are fewer groups than folds.
     */
    public static int[] folds(List<String> groups, int[] sample, int folds) {
        Map<String, List<Integer>> byGroup = byGroup(groups, java.util.stream.IntStream.range(0, sample.length)
                .map(s -> sample[s]).toArray());
        if (byGroup.size() < folds) {
            return null;
        }
        Map<Integer, Integer> position = new HashMap<>();
        for (int s = 0; s < sample.length; s++) {
            position.put(sample[s], s);
        }
        List<String> order = new ArrayList<>(byGroup.keySet());
        order.sort(Comparator.comparingInt((String g) -> -byGroup.get(g).size()).thenComparingInt(g -> mix(g.hashCode()))
                .thenComparing(g -> g));
        int[] sizes = new int[folds];
        int[] fold = new int[sample.length];
        for (String g : order) {
            int smallest = 0;
            for (int f = 1; f < folds; f++) {
                if (sizes[f] < sizes[smallest]) {
                    smallest = f;
                }
            }
            for (int i : byGroup.get(g)) {
                fold[position.get(i)] = smallest;
            }
            sizes[smallest] += byGroup.get(g).size();
        }
        return fold;
    }

    private static Map<String, List<Integer>> byGroup(List<String> groups, int[] indexes) {
        Map<String, List<Integer>> byGroup = new java.util.LinkedHashMap<>();
        for (int i : indexes) {
            byGroup.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
        }
        return byGroup;
    }

    /** A hash spread over all bits, so that groups of similar names do not land in order. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }
}
