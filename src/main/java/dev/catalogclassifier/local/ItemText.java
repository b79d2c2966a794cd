package dev.catalogclassifier.local;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which text of an item the local classifier reads. Catalogues differ: where a name says what the product is
 * ("Oak dining table"), name and description both help; where names are brands or series ("POÄNG"), they are
 * noise to the model, and the description alone does better (on IKEA data every fold of the nested selection in
 * docs/benchmarks.md chooses it). A named taxonomy says which; examples are read the same way as items. Sizes
 * are dropped from the text either way, since the model reads {@code "70x70 cm"} as noise; {@link #sizesOf}
 * gives them to the classifier as numbers instead.
 */
public enum ItemText {
    NAME_AND_DESCRIPTION, DESCRIPTION;

    /** A size at the end of a text, with what follows it: ", 70x70 cm", " 140x200 cm, black". */
    private static final Pattern SIZES = Pattern.compile(",?\\s*[\\d.,x/\\-]+\\s*(cm|mm|m|l|kg)\\b.*$");

    public static Optional<ItemText> parse(String value) {
        try {
            return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The text that stands for an item with this name and description (either may be missing). */
    public String of(String name, String description) {
        boolean hasName = name != null && !name.isBlank();
        boolean hasDescription = description != null && !description.isBlank();
        if (!hasDescription) {
            return hasName ? withoutSizes(name) : "";
        }
        if (this == DESCRIPTION || !hasName) {
            return withoutSizes(description);
        }
        return withoutSizes(name) + ", " + withoutSizes(description);
    }

    /**
     * The sizes an item with this name and description gives (see {@link Dimensions}): its description's, or its
     * name's when the description has none. Read the same way whichever text the model reads.
     */
    public static Dimensions sizesOf(String name, String description) {
        Dimensions fromDescription = Dimensions.parse(description);
        return fromDescription.isKnown() ? fromDescription : Dimensions.parse(name);
    }

    /** {@code "Trestle, 70x70 cm"} becomes {@code "Trestle"}; a text that is all sizes stays as it is. */
    public static String withoutSizes(String text) {
        String stripped = SIZES.matcher(text).replaceAll("").strip();
        return stripped.isEmpty() ? text.strip() : stripped;
    }
}
