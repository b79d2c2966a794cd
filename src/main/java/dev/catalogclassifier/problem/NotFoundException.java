package dev.catalogclassifier.problem;

/** The addressed resource does not exist (404). */
public class NotFoundException extends ProblemException {

    public NotFoundException(String slug, String detail) {
        super(slug, "Not found", 404, detail);
    }
}
