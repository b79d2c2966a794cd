package dev.catalogclassifier.problem;

/**
 * One rejected field of a request: where it is (a JSON path such as {@code items[3].id}) and what is wrong.
 */
public record FieldError(String field, String message) {
}
