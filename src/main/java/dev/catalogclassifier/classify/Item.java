package dev.catalogclassifier.classify;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAlias;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One catalogue item as a caller sends it. {@code Product_URL} is accepted for {@code image_url}, as the
 * earlier furniture API named it.
 */
@RegisterForReflection
public record Item(String id, String name, String description,
        @JsonAlias({ "Product_URL", "product_url" }) String imageUrl,
        Map<String, Object> attributes) {

    public boolean hasText() {
        return name != null && !name.isBlank();
    }

    public boolean hasImage() {
        return imageUrl != null && !imageUrl.isBlank();
    }
}
