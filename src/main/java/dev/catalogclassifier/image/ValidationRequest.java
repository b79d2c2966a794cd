package dev.catalogclassifier.image;

import java.util.List;

/** The JSON form of {@code POST /api/v1/images/validations}: photo URLs to fetch and check. */
public record ValidationRequest(List<String> urls) {
}
