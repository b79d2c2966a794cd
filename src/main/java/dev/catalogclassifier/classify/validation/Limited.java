package dev.catalogclassifier.classify.validation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * A text no longer than its configured limit: {@code @Size} takes only constants, and the limits are
 * configuration. Null passes (optional fields).
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = LimitedValidator.class)
public @interface Limited {

    Limit value();

    String message() default "is longer than {limit} characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
