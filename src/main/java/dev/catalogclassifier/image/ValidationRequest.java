package dev.catalogclassifier.image;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON form of {@code POST /api/v1/images/validations}: photo URLs to fetch and check. */
@RegisterForReflection
public record ValidationRequest(List<String> urls) {
}
