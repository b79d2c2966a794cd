package dev.catalogclassifier.classify.validation;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

import dev.catalogclassifier.classify.RequestsConfig;

/** Checks {@link Limited}; a CDI bean, so it reads the limits from configuration. */
@Dependent // one per constraint: Hibernate Validator initialises each with its annotation
public class LimitedValidator implements ConstraintValidator<Limited, String> {

    private final Instance<RequestsConfig> config;
    private Limit limit;

    /** The configuration is read per check: the validator factory exists before the runtime configuration. */
    public LimitedValidator(Instance<RequestsConfig> config) {
        this.config = config;
    }

    @Override
    public void initialize(Limited annotation) {
        limit = annotation.value();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        int max = limit.of(config.get());
        context.unwrap(HibernateConstraintValidatorContext.class).addMessageParameter("limit", max);
        String unstorable = StorableText.problem(value);
        if (unstorable != null) { // a limited text is stored: a job's item, a result's id
            context.disableDefaultConstraintViolation();
            Violations.add(context, unstorable);
            return false;
        }
        return value == null || value.length() <= max;
    }
}
