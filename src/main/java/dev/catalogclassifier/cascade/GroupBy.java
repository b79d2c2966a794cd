package dev.catalogclassifier.cascade;

import java.util.Locale;
import java.util.Optional;

/**
 * What keeps a taxonomy's examples together in one fold when it is calibrated. New items of a catalogue come in
 * new series and brands; holding out whole groups makes the folds look like that, and their estimate honest.
 */
public enum GroupBy {
    /** Examples with the same text (the least: a duplicate must never be its own neighbour). */
    TEXT,
    /** Examples with the same name: a series (IKEA's names are series) or a product line. */
    NAME,
    /** The examples' own {@code group} field: a brand, a supplier, a series. */
    GROUP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<GroupBy> parse(String text) {
        for (GroupBy g : values()) {
            if (g.wireName().equals(text)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
