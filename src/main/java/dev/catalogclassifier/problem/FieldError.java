package dev.catalogclassifier.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One rejected field of a request: where it is (a JSON path such as {@code items[3].id}) and what is wrong.
 */
@RegisterForReflection
public record FieldError(String field, String message) {
}
