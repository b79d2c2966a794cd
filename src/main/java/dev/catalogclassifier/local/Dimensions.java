package dev.catalogclassifier.local;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes an item's text gives ({@code "Wardrobe, 100x58x236 cm"}), as the local classifier compares them.
 * The words say what a product is, and the sizes often say which kind: a 58 cm deep, 236 cm tall frame is a
 * wardrobe's, a 40 cm deep, 64 cm tall one a TV bench's. {@link ItemText} drops sizes from what the model
 * reads, since the model takes digits for noise; they come back here, as numbers. On IKEA data this raised
 * top-1 with examples by about a point (docs/benchmarks.md).
 *
 * @param logCm the natural logarithms of the sizes in centimetres, in the order the text gives them (at most
 *        three); empty when the text gives none. Logarithms, because 40 against 50 cm matters as much as 160
 *        against 200.
 */
public record Dimensions(float[] logCm) {

    /** No sizes: such an item is compared by its words alone. */
    public static final Dimensions NONE = new Dimensions(new float[0]);
    /** How many sizes are kept: width, depth and height. */
    public static final int MAX = 3;

    /** A number, with an optional second one after a slash (40/35 cm), and the slash part ignored. */
    private static final String NUMBER = "\\d+(?:[.,]\\d+)?(?:/\\d+(?:[.,]\\d+)?)?";
    /** The first group of sizes with its unit: "120x40x64 cm", "45 cm", "14 mm". */
    private static final Pattern SIZES = Pattern.compile(
            "(" + NUMBER + "(?:\\s*x\\s*" + NUMBER + ")*)\\s*(cm|mm|m)\\b", Pattern.CASE_INSENSITIVE);

    /** The sizes of the first group in {@code text} (null or blank gives {@link #NONE}). */
    public static Dimensions parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Matcher m = SIZES.matcher(text);
        if (!m.find()) {
            return NONE;
        }
        double unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "mm" -> 0.1;
            case "m" -> 100;
            default -> 1;
        };
        String[] parts = m.group(1).split("\\s*x\\s*");
        float[] cm = new float[Math.min(MAX, parts.length)];
        for (int i = 0; i < cm.length; i++) {
            cm[i] = (float) (unit * Double.parseDouble(parts[i].split("/")[0].replace(',', '.')));
        }
        return ofCm(cm);
    }

    /** From sizes in centimetres, as stored; a size of 0 or less makes the whole unusable. */
    public static Dimensions ofCm(float... cm) {
        if (cm == null || cm.length == 0) {
            return NONE;
        }
        float[] logs = new float[Math.min(MAX, cm.length)];
        for (int i = 0; i < logs.length; i++) {
            if (!(cm[i] > 0)) {
                return NONE;
            }
            logs[i] = (float) StrictMath.log(cm[i]);
        }
        return new Dimensions(logs);
    }

    /** The sizes in centimetres, as stored; empty for {@link #NONE}. */
    public float[] cm() {
        float[] cm = new float[logCm.length];
        for (int i = 0; i < cm.length; i++) {
            cm[i] = (float) StrictMath.exp(logCm[i]);
        }
        return cm;
    }

    public boolean isKnown() {
        return logCm.length > 0;
    }

    /**
     * 1 for the same sizes, falling off as {@code exp(-d² / 2·scale²)} with {@code d} the distance between the
     * logarithms; 0 when either has none or they give a different number of sizes (a width and height are not
     * comparable with a width, depth and height).
     */
    public double similarity(Dimensions other, double scale) {
        if (logCm.length == 0 || logCm.length != other.logCm.length) {
            return 0;
        }
        double d2 = 0;
        for (int i = 0; i < logCm.length; i++) {
            double d = logCm[i] - other.logCm[i];
            d2 += d * d;
        }
        return StrictMath.exp(-d2 / (2 * scale * scale));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dimensions other && Arrays.equals(logCm, other.logCm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(logCm);
    }

    @Override
    public String toString() {
        return Arrays.toString(cm()) + " cm";
    }
}
