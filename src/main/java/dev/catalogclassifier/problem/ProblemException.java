package dev.catalogclassifier.problem;

/**
 * A failure the caller should see as an RFC 9457 problem with this status, slug and detail. The detail is
 * written for people and never carries exception text from below.
 */
public class ProblemException extends RuntimeException {

    private final String slug;
    private final String title;
    private final int status;

    public ProblemException(String slug, String title, int status, String detail) {
        super(detail, null, false, false);
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
