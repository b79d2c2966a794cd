package dev.catalogclassifier.classify;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;

import com.fasterxml.jackson.annotation.JsonAlias;

import dev.catalogclassifier.classify.validation.HttpUrl;
import dev.catalogclassifier.classify.validation.Limit;
import dev.catalogclassifier.classify.validation.Limited;
import dev.catalogclassifier.classify.validation.ReadableItem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One catalogue item as a caller sends it, with the rules it is checked by (Hibernate Validator, through
 * {@link RequestValidator}). {@code Product_URL} is accepted for {@code image_url}, as the
 * earlier furniture API named it.
 */
@RegisterForReflection
@ReadableItem
public record Item(@NotBlank(message = "is required") @Limited(Limit.ID) String id,
        @Limited(Limit.TEXT) String name,
        @Limited(Limit.TEXT) String description,
        @JsonAlias({ "Product_URL", "product_url" }) @HttpUrl String imageUrl,
        Map<String, Object> attributes) {

    public boolean hasText() {
        return name != null && !name.isBlank();
    }

    public boolean hasImage() {
        return imageUrl != null && !imageUrl.isBlank();
    }
}
