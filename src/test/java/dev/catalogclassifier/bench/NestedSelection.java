package dev.catalogclassifier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntUnaryOperator;

import dev.catalogclassifier.local.LocalClassifier;

/**
 * Chooses the item text and the neighbour count honestly: for each outer fold, candidates are compared by an
 * inner cross-validation on the training folds only, and the winner is then scored once on the outer test fold.
 * The accuracy reported is of the whole procedure, so nothing is tuned on the data it is measured on.
 */
final class NestedSelection {

    record Candidate(String text, int neighbours, double labelWeight) {
        @Override
        public String toString() {
            return text + ", k=" + neighbours + ", label weight " + labelWeight;
        }
    }

    private final LocalClassifier local;
    private final List<String> categories;
    private final List<Set<String>> truth;
    private final float[][] labels;
    private final java.util.Map<String, float[][]> vectors;
    private final IntUnaryOperator outerFold;
    private final IntUnaryOperator innerFold;
    private final int folds;

    NestedSelection(LocalClassifier local, List<String> categories, List<Set<String>> truth, float[][] labels,
            java.util.Map<String, float[][]> vectors, IntUnaryOperator outerFold, IntUnaryOperator innerFold, int folds) {
        this.local = local;
        this.categories = categories;
        this.truth = truth;
        this.labels = labels;
        this.vectors = vectors;
        this.outerFold = outerFold;
        this.innerFold = innerFold;
        this.folds = folds;
    }

    /** Top-1 of the nested procedure, and which candidate each outer fold chose. */
    String run(List<Candidate> candidates) {
        int right = 0;
        List<String> chosen = new ArrayList<>();
        for (int fold = 0; fold < folds; fold++) {
            int test = fold;
            Candidate best = null;
            double bestScore = -1;
            for (Candidate candidate : candidates) {
                double score = innerAccuracy(candidate, i -> outerFold.applyAsInt(i) != test);
                if (score > bestScore) {
                    best = candidate;
                    bestScore = score;
                }
            }
            chosen.add(best.toString());
            right += correct(best, i -> outerFold.applyAsInt(i) != test, i -> outerFold.applyAsInt(i) == test);
        }
        return String.format(Locale.ROOT, "%.1f %% (chosen per fold: %s)", 100.0 * right / truth.size(), chosen);
    }

    private double innerAccuracy(Candidate candidate, java.util.function.IntPredicate training) {
        int right = 0;
        int total = 0;
        for (int inner = 0; inner < folds; inner++) {
            int held = inner;
            java.util.function.IntPredicate innerTest = i -> training.test(i) && innerFold.applyAsInt(i) == held;
            right += correct(candidate, i -> training.test(i) && innerFold.applyAsInt(i) != held, innerTest);
            for (int i = 0; i < truth.size(); i++) {
                total += innerTest.test(i) ? 1 : 0;
            }
        }
        return (double) right / total;
    }

    private int correct(Candidate candidate, java.util.function.IntPredicate examplesFrom, java.util.function.IntPredicate testOn) {
        float[][] items = vectors.get(candidate.text());
        List<float[]> exampleVectors = new ArrayList<>();
        List<Integer> exampleLabels = new ArrayList<>();
        for (int i = 0; i < truth.size(); i++) {
            if (examplesFrom.test(i)) {
                for (String category : truth.get(i)) {
                    exampleVectors.add(items[i]);
                    exampleLabels.add(categories.indexOf(category));
                }
            }
        }
        LocalClassifier.Prepared prepared = new LocalClassifier.Prepared(categories, labels,
                exampleVectors.toArray(float[][]::new), exampleLabels.stream().mapToInt(Integer::intValue).toArray());
        int right = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (testOn.test(i) && truth.get(i).contains(local.classify(prepared, items[i], candidate.neighbours(), candidate.labelWeight()).category())) {
                right++;
            }
        }
        return right;
    }
}
