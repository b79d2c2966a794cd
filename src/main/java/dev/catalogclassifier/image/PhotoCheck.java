package dev.catalogclassifier.image;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One check of a photo: {@code code} names the problem it looks for ({@code too_small}, {@code blurred}, …),
 * {@code value} is what was measured, {@code threshold} the limit, and {@code passed} whether the photo is fine.
 * Value and threshold are absent for {@code unreadable}.
 */
@RegisterForReflection
public record PhotoCheck(String code, Double value, Double threshold, boolean passed) {

    static PhotoCheck atLeast(String code, double value, double threshold) {
        return new PhotoCheck(code, round(value), threshold, value >= threshold);
    }

    static PhotoCheck atMost(String code, double value, double threshold) {
        return new PhotoCheck(code, round(value), threshold, value <= threshold);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
