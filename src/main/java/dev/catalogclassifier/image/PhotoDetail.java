package dev.catalogclassifier.image;

import java.util.Locale;
import java.util.Optional;

/**
 * How much of a photo is sent: {@code high} (the default) at up to 1,024 px on the longest side, or {@code low}
 * at up to 512 px, a sixth of the bytes and, with OpenAI, 85 image tokens instead of several hundred.
 */
public enum PhotoDetail {
    HIGH, LOW;

    public static Optional<PhotoDetail> parse(String value) {
        try {
            return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
