package dev.catalogclassifier.problem;

/**
 * The service cannot do this work right now for a reason the operator can fix (no provider key, shutting down).
 * It becomes a 503 problem whose detail says what to do.
 */
public class ServiceUnavailableException extends ProblemException {

    public ServiceUnavailableException(String slug, String detail) {
        super(slug, "Service unavailable", 503, detail);
    }
}
