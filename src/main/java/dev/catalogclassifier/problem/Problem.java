package dev.catalogclassifier.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem document. {@code errors} is filled only for validation problems, one entry per bad field.
 * Nothing here ever carries an exception class name or a stack trace: callers see what to fix, not how we failed.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@RegisterForReflection
public record Problem(URI type, String title, int status, String detail, List<FieldError> errors) {

    static final String TYPE_BASE = "https://catalog-classifier.dev/problems/";

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(URI.create(TYPE_BASE + slug), title, status, detail, List.of());
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(URI.create(TYPE_BASE + "invalid-request"), "Invalid request", 400, detail, errors);
    }
}
