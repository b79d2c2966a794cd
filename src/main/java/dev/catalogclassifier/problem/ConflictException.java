package dev.catalogclassifier.problem;

/** The request does not fit the resource's current state (409), for example retrying a running job. */
public class ConflictException extends ProblemException {

    public ConflictException(String slug, String detail) {
        super(slug, "Conflict", 409, detail);
    }
}
