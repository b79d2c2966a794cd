package dev.catalogclassifier.problem;

/**
 * The service cannot do this work right now for a reason the operator can fix (no provider key, shutting down).
 * It becomes a 503 problem whose detail says what to do.
 */
public class ServiceUnavailableException extends RuntimeException {

    private final String slug;

    public ServiceUnavailableException(String slug, String detail) {
        super(detail, null, false, false);
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}
