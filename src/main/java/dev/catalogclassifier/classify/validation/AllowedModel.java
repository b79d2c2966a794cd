package dev.catalogclassifier.classify.validation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import dev.catalogclassifier.llm.LlmConfig;

/** A model this service may be asked for: the default or one of {@code classifier.llm.allowed-models}. */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = AllowedModel.Validator.class)
public @interface AllowedModel {

    String message() default "is not allowed here";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** A CDI bean, for the configured models. */
    @Dependent // one per constraint: Hibernate Validator initialises each with its annotation
    class Validator implements ConstraintValidator<AllowedModel, String> {

        private final Instance<LlmConfig> config;

        /** The configuration is read per check: the validator factory exists before the runtime configuration. */
        public Validator(Instance<LlmConfig> config) {
            this.config = config;
        }

        @Override
        public boolean isValid(String model, ConstraintValidatorContext context) {
            Set<String> allowed = new LinkedHashSet<>(config.get().allowedModels());
            allowed.add(config.get().defaultModel());
            if (model == null || model.isBlank() || allowed.contains(model)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            Violations.add(context, "is not allowed here; choose one of " + String.join(", ", allowed));
            return false;
        }
    }
}
