package dev.catalogclassifier.classify;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** {@code rejected} is for bad input (nothing was asked); {@code failed} is for a model call that went wrong. */
public enum ItemStatus {
    OK, FAILED, REJECTED, CANCELLED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
