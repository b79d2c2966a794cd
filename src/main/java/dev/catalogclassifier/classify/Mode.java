package dev.catalogclassifier.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How items are looked at: {@code auto} uses the photo when an item has one, else its text. */
public enum Mode {
    AUTO, TEXT, IMAGE;

    public static Optional<Mode> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.label().equals(value.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The earlier furniture API's {@code toggle}: 1 is text, 0 is image. */
    static Optional<Mode> fromToggle(int toggle) {
        return switch (toggle) {
            case 1 -> Optional.of(TEXT);
            case 0 -> Optional.of(IMAGE);
            default -> Optional.empty();
        };
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
