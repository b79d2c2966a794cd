package dev.catalogclassifier.taxonomy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whose word an example of a taxonomy is. */
public enum ExampleSource {
    /** Given in the taxonomy's definition (its PUT or file); replaced by the next PUT. */
    PUT,
    /** Added by the caller ({@code POST …/examples}) or a correction of a result: the caller's word. */
    CALLER,
    /** An answer of the model that the caller confirmed. */
    CONFIRMED,
    /** An answer of the model that the service trusted and learnt; listed, counted and dropped on their own. */
    MODEL;

    /** As the API and the database spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ExampleSource> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
    }
}
