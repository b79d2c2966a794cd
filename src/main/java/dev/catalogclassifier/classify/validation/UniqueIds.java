package dev.catalogclassifier.classify.validation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import dev.catalogclassifier.classify.Item;
import dev.catalogclassifier.classify.RequestsConfig;

/**
 * No two items share an id: results and retries name items by id. Each repeat is reported where it is,
 * {@code items[i].id}, naming the first; ids that are missing or too long are their own items' violations.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = UniqueIds.Validator.class)
public @interface UniqueIds {

    String message() default "repeats the id of another item";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** A CDI bean, for the id limit. */
    @Dependent // one per constraint: Hibernate Validator initialises each with its annotation
    class Validator implements ConstraintValidator<UniqueIds, List<Item>> {

        private final Instance<RequestsConfig> config;

        /** The configuration is read per check: the validator factory exists before the runtime configuration. */
        public Validator(Instance<RequestsConfig> config) {
            this.config = config;
        }

        @Override
        public boolean isValid(List<Item> items, ConstraintValidatorContext context) {
            if (items == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            Map<String, Integer> seen = new HashMap<>();
            boolean valid = true;
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                String id = item == null ? null : item.id();
                if (id == null || id.isBlank() || id.length() > config.get().maxIdLength()) {
                    continue;
                }
                Integer first = seen.putIfAbsent(id, i);
                if (first != null) {
                    Violations.addAt(context, "repeats the id of items[" + first + "]", i, "id");
                    valid = false;
                }
            }
            return valid;
        }
    }
}
