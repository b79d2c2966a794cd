package dev.catalogclassifier.problem;

import java.util.List;

/**
 * Thrown when a request breaks the API contract; it becomes a 400 problem listing every bad field at once,
 * so a caller can fix the whole request in one round trip.
 */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.size() + " invalid field(s)", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
