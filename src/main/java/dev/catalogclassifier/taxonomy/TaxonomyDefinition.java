package dev.catalogclassifier.taxonomy;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /api/v1/taxonomies/{name}}, and the format of a taxonomy file: categories in the
 * caller's order, optional label descriptions, and optional labelled examples the local classifier learns from.
 */
public record TaxonomyDefinition(List<String> categories, Map<String, String> descriptions, List<Example> examples) {

    /** A categorised item from the caller's catalogue: its text (name and description) and its category. */
    public record Example(String text, String category) {
    }

    public Map<String, String> descriptionsOrEmpty() {
        return descriptions == null ? Map.of() : descriptions;
    }

    public List<Example> examplesOrEmpty() {
        return examples == null ? List.of() : examples;
    }
}
