package dev.catalogclassifier.classify.validation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import dev.catalogclassifier.classify.Item;
import dev.catalogclassifier.classify.RequestsConfig;

/**
 * An item something can read: a name or a photo, and attribute values within the text limit (reported as
 * {@code items[i].attributes.<key>}, the attribute's own key, which a caller recognises).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ReadableItem.Validator.class)
public @interface ReadableItem {

    String message() default "needs a name or an image_url";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** A CDI bean, for the text limit. */
    @Dependent // one per constraint: Hibernate Validator initialises each with its annotation
    class Validator implements ConstraintValidator<ReadableItem, Item> {

        private final Instance<RequestsConfig> config;

        /** The configuration is read per check: the validator factory exists before the runtime configuration. */
        public Validator(Instance<RequestsConfig> config) {
            this.config = config;
        }

        @Override
        public boolean isValid(Item item, ConstraintValidatorContext context) {
            if (item == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            boolean valid = item.hasText() || item.hasImage();
            if (!valid) {
                Violations.add(context, "needs a name or an image_url");
            }
            int limit = config.get().maxTextLength();
            if (item.attributes() != null) {
                for (var attribute : item.attributes().entrySet()) {
                    String unstorable = StorableText.problem(attribute.getKey() + attribute.getValue());
                    if (unstorable != null) {
                        Violations.add(context, unstorable, "attributes", attribute.getKey());
                        valid = false;
                    } else if (String.valueOf(attribute.getValue()).length() > limit) {
                        Violations.add(context, "is longer than " + limit + " characters", "attributes", attribute.getKey());
                        valid = false;
                    }
                }
            }
            return valid;
        }
    }
}
