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
        String itemText, Cascade cascade) {

    /**
     * How the taxonomy's cascade is calibrated: the precision it aims at unless a request names one, and what keeps
     * examples together in one fold ({@code text}, the default; {@code name}, a series; {@code group}, the examples'
     * own {@code group} field).
     */
    @RegisterForReflection
    public record Cascade(Double precision, String groupBy) {
    }

    /**
     * A categorised item from the caller's catalogue and its category: either one {@code text}, or a
     * {@code name} and {@code description} like an item's, read the same way as items are. An item in several
     * categories is given as consecutive examples of the same text. {@code group} (a brand, a series) keeps
     * examples together when the cascade is calibrated with {@code group_by: group}.
     */
    public record Example(String text, String name, String description, String category, String group) {

        String readAs(ItemText itemText) {
            return text != null ? ItemText.withoutSizes(text) : itemText.of(name, description);
        }

        /**
         * What the calibration takes to be one item in several categories, given as consecutive examples: the same
         * fields as sent, not the text read (with {@code item_text: description}, IKEA's "Chair" of two series would
         * otherwise be one item, and an answer right for either counted right for both).
         */
        String identity() {
            return text != null ? text : name + "\u0000" + description;
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

    public Cascade cascadeOrDefault() {
        return cascade == null ? new Cascade(null, null) : cascade;
    }

    public List<Example> examplesOrEmpty() {
        return examples == null ? List.of() : examples;
    }
}
