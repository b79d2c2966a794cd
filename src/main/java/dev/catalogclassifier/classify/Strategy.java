package dev.catalogclassifier.classify;

import java.util.Locale;
import java.util.Optional;

/**
 * Who classifies a request's items: the LLM, the in-process classifier alone ({@code local}: no key, no cost),
 * or a {@code cascade}, where the local classifier settles the items it is sure of and the LLM gets the rest.
 */
public enum Strategy {
    LLM, LOCAL, CASCADE;

    public static Optional<Strategy> parse(String value) {
        try {
            return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
