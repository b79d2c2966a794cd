package dev.catalogclassifier.image;

/**
 * A photo we will not use, and why: {@code code} is stable for callers to act on, {@code message} says it for
 * people. It never carries a secret, and a URL's query string never reaches it.
 */
public class ImageRejected extends Exception {

    private final String code;

    public ImageRejected(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
