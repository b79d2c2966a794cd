package dev.catalogclassifier.taxonomy;

import java.util.List;
import java.util.Map;

import dev.catalogclassifier.local.Dimensions;
import dev.catalogclassifier.local.ItemText;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of {@code PUT /api/v1/taxonomies/{name}}, and the format of a taxonomy file: categories in the
 * caller's order, optional label descriptions, optional labelled examples the local classifier learns from, and
 * which text of an item it reads ({@code item_text}: {@code name_and_description}, the default, or
 * {@code description} for catalogues whose names are brands or series).
 */
@RegisterForReflection
public record TaxonomyDefinition(List<String> categories, Map<String, String> descriptions, List<Example> examples,
        String itemText) {

    /**
     * A categorised item from the caller's catalogue and its category: either one {@code text}, or a
     * {@code name} and {@code description} like an item's, read the same way as items are.
     */
    public record Example(String text, String name, String description, String category) {

        String readAs(ItemText itemText) {
            return text != null ? ItemText.withoutSizes(text) : itemText.of(name, description);
        }

        /** The sizes the example gives, read as an item's are. */
        Dimensions sizes() {
            return text != null ? Dimensions.parse(text) : ItemText.sizesOf(name, description);
        }
    }

    public ItemText itemTextOrDefault() {
        return itemText == null ? ItemText.NAME_AND_DESCRIPTION : ItemText.parse(itemText).orElseThrow();
    }

    public Map<String, String> descriptionsOrEmpty() {
        return descriptions == null ? Map.of() : descriptions;
    }

    public List<Example> examplesOrEmpty() {
        return examples == null ? List.of() : examples;
    }
}
