package dev.catalogclassifier.classify.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import dev.catalogclassifier.problem.FieldError;

/** Between Hibernate Validator's violations and the {@link FieldError}s a problem answer lists. */
public final class Violations {

    private Violations() {
    }

    /**
     * Adds a violation with a message that is not a template (it may quote what the caller sent), at the property
     * path {@code nodes} below the constrained element.
     */
    static void add(ConstraintValidatorContext context, String message, String... nodes) {
        var builder = context.buildConstraintViolationWithTemplate(literal(message));
        if (nodes.length == 0) {
            builder.addConstraintViolation();
            return;
        }
        var node = builder.addPropertyNode(nodes[0]);
        for (int i = 1; i < nodes.length; i++) {
            node = node.addPropertyNode(nodes[i]);
        }
        node.addConstraintViolation();
    }

    /**
     * At an element of the constrained list: {@code items[3].id} for {@code property} "id", {@code taxonomy[3]}
     * for null.
     */
    static void addAt(ConstraintValidatorContext context, String message, int index, String property) {
        var builder = context.buildConstraintViolationWithTemplate(literal(message));
        if (property == null) {
            builder.addBeanNode().inIterable().atIndex(index).addConstraintViolation();
        } else {
            builder.addPropertyNode(property).inIterable().atIndex(index).addConstraintViolation();
        }
    }

    /**
     * Each broken rule once, by JSON path, in path order. A record component's constraint is seen on its field and
     * its accessor alike; a rule reported twice is one.
     */
    public static List<FieldError> fieldErrors(Set<? extends ConstraintViolation<?>> violations) {
        Set<FieldError> errors = new LinkedHashSet<>();
        violations.forEach(v -> errors.add(new FieldError(jsonPath(v.getPropertyPath()), v.getMessage())));
        List<FieldError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return sorted;
    }

    /**
     * {@code items[3].image_url}: property names (snake_case already, see {@code ValidationNames}), a list index
     * after its list; element nodes ({@code <list element>}) and method nodes left out.
     */
    static String jsonPath(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                out.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return out.toString();
    }

    /** A message as it is: no {@code {…}} parameters, no {@code ${…}} expressions. */
    private static String literal(String message) {
        return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
