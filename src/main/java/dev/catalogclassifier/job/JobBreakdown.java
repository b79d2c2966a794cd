package dev.catalogclassifier.job;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a job's answered items went and how sure the service is of them, for the page's pictures: the categories
 * with the most items (the rest summed in {@code otherItems}, over {@code otherCategories} categories), and a histogram
 * of how sure each answer is (its calibrated {@code chance} where it has one, else the answer's {@code confidence}), in
 * tenths, each bin counting how many of its answers are marked for review.
 *
 * @param answered the items with a category ({@code ok})
 * @param reviewUpTo the surest answer marked for review: answers marked lie at or below it (null: none marked)
 * @param precision the precision asked, which the marking keeps the unmarked answers at (null: the taxonomy's or
 *        the service's own)
 */
@RegisterForReflection
public record JobBreakdown(long answered, List<Share> categories, long otherCategories, long otherItems,
        List<Bin> sureness, long review, Double reviewUpTo, Double precision) {

    /** A category and how many items went there. */
    @RegisterForReflection
    public record Share(String category, long items) {
    }

    /** Answers from {@code from} (inclusive) to {@code to} (exclusive, but the last bin holds 1.0). */
    @RegisterForReflection
    public record Bin(double from, double to, long items, long review) {
    }
}
