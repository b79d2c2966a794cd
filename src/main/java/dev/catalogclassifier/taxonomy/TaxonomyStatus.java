package dev.catalogclassifier.taxonomy;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a named taxonomy can be classified against. */
public enum TaxonomyStatus {
    /** Stored: requests may name it (a newer definition may be in preparation meanwhile). */
    READY,
    /** Accepted and being prepared in the background; requests naming it answer 409 until it is ready. */
    PREPARING,
    /** Its preparation failed and nothing of it is stored; PUT it again. */
    FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
