package dev.catalogclassifier.classify.validation;

/**
 * Whether a text can be stored and given back as it came: PostgreSQL's {@code text} cannot hold a NUL character
 * (U+0000), and an unpaired UTF-16 surrogate (a JSON escape such as backslash-u DC00 with no partner) is not a
 * Unicode character, so UTF-8 cannot carry it and it would come back as {@code ?}: an id would be changed.
 */
public final class StorableText {

    private StorableText() {
    }

    /** What is wrong with {@code text}, as a field error's message; null when it is fine (or null). */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (\\u0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a whole character outside the BMP
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c) + "), which is not Unicode text";
            }
        }
        return null;
    }
}
