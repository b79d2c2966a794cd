package dev.catalogclassifier.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.LocalClassifier;

/**
 * Chooses the item text and the scoring honestly: for each outer fold, candidates are compared by an inner
 * cross-validation on the training folds only, and the winner is then scored once on the outer test fold.
 * The accuracy reported is of the whole procedure, so nothing is tuned on the data it is measured on.
 * Scoring goes through {@link LocalClassifier#classify(LocalClassifier.Prepared, float[][], Dimensions[], LocalClassifier.Scoring)},
 * the service's own code.
 */
final class NestedSelection {

    record Candidate(String text, LocalClassifier.Scoring scoring) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s, k=%d, neighbour temperature %s, label weight %s, size weight %s", text,
                    scoring.neighbours(), scoring.neighbourTemperature() == 0 ? "none" : scoring.neighbourTemperature(),
                    scoring.labelWeight(), scoring.sizeWeight());
        }
    }

    private final List<String> categories;
    private final List<Set<String>> truth;
    private final float[][] labels;
    private final Map<String, float[][]> vectors;
    private final Dimensions[] sizes;
    private final IntUnaryOperator outerFold;
    private final IntUnaryOperator innerFold;
    private final int folds;

    NestedSelection(List<String> categories, List<Set<String>> truth, float[][] labels, Map<String, float[][]> vectors,
            Dimensions[] sizes, IntUnaryOperator outerFold, IntUnaryOperator innerFold, int folds) {
        this.sizes = sizes;
        this.categories = categories;
        this.truth = truth;
        this.labels = labels;
        this.vectors = vectors;
        this.outerFold = outerFold;
        this.innerFold = innerFold;
        this.folds = folds;
    }

    /** One outer fold of the nested procedure: the candidate its training folds chose, and how it did on the fold. */
    record FoldResult(int fold, int items, int right, Candidate chosen) {
        double accuracy() {
            return (double) right / items;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fold %d: %.1f %% of %d items with %s", fold, 100 * accuracy(), items, chosen);
        }
    }

    /** What the nested procedure gives: its top-1 over all items, and each outer fold's. */
    record Outcome(double accuracy, List<FoldResult> folds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f %%%n%nChosen per outer fold:%n- %s", 100 * accuracy,
                    String.join("\n- ", folds.stream().map(FoldResult::toString).toList()));
        }
    }

    Outcome run(List<Candidate> candidates) {
        int right = 0;
        List<FoldResult> results = new ArrayList<>();
        for (int fold = 0; fold < folds; fold++) {
            int test = fold;
            IntPredicate training = i -> outerFold.applyAsInt(i) != test;
            Candidate best = best(candidates, c -> cvAccuracy(c, training, innerFold));
            int foldRight = correct(best, training, i -> outerFold.applyAsInt(i) == test);
            int foldSize = (int) java.util.stream.IntStream.range(0, truth.size()).filter(i -> outerFold.applyAsInt(i) == test).count();
            results.add(new FoldResult(fold, foldSize, foldRight, best));
            right += foldRight;
        }
        return new Outcome((double) right / truth.size(), results);
    }

    /** Top-1 of one candidate by plain cross-validation over the outer folds. */
    double crossValidated(Candidate candidate) {
        return cvAccuracy(candidate, i -> true, outerFold);
    }

    /** The candidate a plain cross-validation on all the data chooses: what the service ships. */
    Candidate chooseOnAll(List<Candidate> candidates) {
        return best(candidates, c -> cvAccuracy(c, i -> true, outerFold));
    }

    private static Candidate best(List<Candidate> candidates, java.util.function.ToDoubleFunction<Candidate> score) {
        record Scored(Candidate candidate, double score, int order) {
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            scored.add(new Scored(candidates.get(i), 0, i));
        }
        // ties go to the earlier candidate, so the order of the list is the only preference
        return scored.parallelStream().map(s -> new Scored(s.candidate(), score.applyAsDouble(s.candidate()), s.order()))
                .max(Comparator.comparingDouble(Scored::score).thenComparing(Scored::order, Comparator.reverseOrder()))
                .orElseThrow().candidate();
    }

    private double cvAccuracy(Candidate candidate, IntPredicate within, IntUnaryOperator fold) {
        int right = 0;
        int total = 0;
        for (int held = 0; held < folds; held++) {
            int h = held;
            IntPredicate test = i -> within.test(i) && fold.applyAsInt(i) == h;
            right += correct(candidate, i -> within.test(i) && fold.applyAsInt(i) != h, test);
            for (int i = 0; i < truth.size(); i++) {
                total += test.test(i) ? 1 : 0;
            }
        }
        return (double) right / total;
    }

    private int correct(Candidate candidate, IntPredicate examplesFrom, IntPredicate testOn) {
        float[][] items = vectors.get(candidate.text());
        List<float[]> exampleVectors = new ArrayList<>();
        List<Integer> exampleLabels = new ArrayList<>();
        List<Dimensions> exampleSizes = new ArrayList<>();
        for (int i = 0; i < truth.size(); i++) {
            if (examplesFrom.test(i)) {
                for (String category : truth.get(i)) {
                    exampleVectors.add(items[i]);
                    exampleLabels.add(categories.indexOf(category));
                    exampleSizes.add(sizes[i]);
                }
            }
        }
        LocalClassifier.Prepared prepared = new LocalClassifier.Prepared(categories, labels,
                exampleVectors.toArray(float[][]::new), exampleLabels.stream().mapToInt(Integer::intValue).toArray(),
                exampleSizes.toArray(Dimensions[]::new));
        int[] tested = java.util.stream.IntStream.range(0, truth.size()).filter(testOn).toArray();
        List<LocalClassifier.Prediction> predicted = LocalClassifier.classify(prepared,
                java.util.Arrays.stream(tested).mapToObj(i -> items[i]).toArray(float[][]::new),
                java.util.Arrays.stream(tested).mapToObj(i -> sizes[i]).toArray(Dimensions[]::new), candidate.scoring());
        int right = 0;
        for (int t = 0; t < tested.length; t++) {
            right += truth.get(tested[t]).contains(predicted.get(t).category()) ? 1 : 0;
        }
        return right;
    }
}
