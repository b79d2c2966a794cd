package dev.catalogclassifier.classify.validation;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.validator.BaseHibernateValidatorConfiguration;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;

/**
 * Violations name fields as the JSON does ({@code image_url}, not {@code imageUrl}): the API's JSON is snake_case
 * ({@code quarkus.jackson.property-naming-strategy}), and a caller should find the field it sent.
 */
@ApplicationScoped
public class ValidationNames implements ValidatorFactoryCustomizer {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE = new PropertyNamingStrategies.SnakeCaseStrategy();

    @Override
    public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
        configuration.propertyNodeNameProvider(property -> SNAKE_CASE.translate(property.getName()));
    }
}
