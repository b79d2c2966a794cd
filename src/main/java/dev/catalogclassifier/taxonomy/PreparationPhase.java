package dev.catalogclassifier.taxonomy;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** How far a taxonomy's background preparation has got, in the order it goes; {@code FAILED} ends it. */
public enum PreparationPhase {
    /** Its category labels and examples are being embedded (most of the time: Google's 5,595 labels take 10–17 s). */
    EMBEDDING,
    /** The cascade is calibrated and the head trained on the examples' vectors. */
    CALIBRATING,
    /** The taxonomy is being written; it is ready once its row here is gone. */
    STORING,
    /** It failed; the error says why, and a new PUT tries again. */
    FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PreparationPhase parse(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
