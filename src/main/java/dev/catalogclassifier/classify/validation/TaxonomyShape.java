package dev.catalogclassifier.classify.validation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.classify.RequestValidator;
import dev.catalogclassifier.classify.RequestsConfig;
import dev.catalogclassifier.classify.Taxonomy;

/**
 * A request's {@code taxonomy}: absent (the configured default), the name of a stored taxonomy, or a list of at
 * least two distinct, non-blank categories within the configured limits. Each bad category is reported at its
 * place, {@code taxonomy[i]}.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = TaxonomyShape.Validator.class)
public @interface TaxonomyShape {

    String message() default "must be a list of categories or the name of a stored taxonomy";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** A CDI bean, for the limits. */
    @Dependent // one per constraint: Hibernate Validator initialises each with its annotation
    class Validator implements ConstraintValidator<TaxonomyShape, JsonNode> {

        private final Instance<RequestsConfig> config;

        /** The configuration is read per check: the validator factory exists before the runtime configuration. */
        public Validator(Instance<RequestsConfig> config) {
            this.config = config;
        }

        @Override
        public boolean isValid(JsonNode given, ConstraintValidatorContext context) {
            if (given == null || given.isNull()) {
                return true;
            }
            if (given.isTextual()) {
                return RequestValidator.NAME.matcher(given.textValue()).matches();
            }
            if (!given.isArray()) {
                return false;
            }
            context.disableDefaultConstraintViolation();
            boolean valid = true;
            if (given.size() < 2) {
                Violations.add(context, "needs at least 2 categories");
                valid = false;
            } else if (given.size() > config.get().maxCategories()) {
                Violations.add(context, "has more than " + config.get().maxCategories() + " categories");
                valid = false;
            }
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < given.size(); i++) {
                String problem = problem(given.get(i), i, seen);
                if (problem != null) {
                    Violations.addAt(context, problem, i, null);
                    valid = false;
                }
            }
            return valid;
        }

        private static String kind(JsonNode node) {
            return switch (node.getNodeType()) {
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL, MISSING -> "null";
                case ARRAY -> "a list";
                default -> "an object";
            };
        }

        private String problem(JsonNode node, int i, Map<String, Integer> seen) {
            if (!node.isTextual()) {
                return "must be a category name (a string), not " + kind(node);
            }
            String category = node.textValue();
            if (category.isBlank()) {
                return "must not be blank";
            }
            if (category.length() > config.get().maxCategoryLength()) {
                return "is longer than " + config.get().maxCategoryLength() + " characters";
            }
            if (StorableText.problem(category) != null) {
                return StorableText.problem(category);
            }
            Integer first = seen.putIfAbsent(Taxonomy.key(category), i);
            return first == null ? null : "repeats taxonomy[" + first + "]";
        }
    }
}
