package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * IKEA's catalogue split as a catalogue's life splits it: three series in four are what a taxonomy is stored with
 * (its examples), the fourth's items what the catalogue sends next (series the service never saw). Whole series on
 * one side, by a hash of the series name.
 */
public final class IkeaSplit {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The items of the series the taxonomy is stored with. */
    public static final List<BenchData.IkeaItem> EXAMPLES = new ArrayList<>();
    /** The items of the series it never saw. */
    public static final List<BenchData.IkeaItem> NEW_SERIES = new ArrayList<>();
    private static final JsonNode TAXONOMY;

    static {
        try {
            for (BenchData.IkeaItem item : BenchData.ikeaItems()) {
                boolean held = Math.floorMod(item.name().toLowerCase(Locale.ROOT).hashCode(), 4) == 0;
                (held ? NEW_SERIES : EXAMPLES).add(item);
            }
            TAXONOMY = JSON.readTree(Files.readString(Path.of("bench", "ikea-taxonomy.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IkeaSplit() {
    }

    /**
     * The benchmark taxonomy ({@code bench/ikea-taxonomy.json}: 17 categories, descriptions, {@code item_text:
     * description}) with the {@link #EXAMPLES} as its examples, for a PUT. An item in several categories is
     * consecutive examples of one text.
     */
    public static Map<String, Object> definition(Object cascade) {
        List<Map<String, String>> examples = new ArrayList<>();
        EXAMPLES.forEach(item -> item.categories().forEach(category -> examples.add(
                Map.of("name", item.name(), "description", item.description(), "category", category))));
        return Map.of("categories", JSON.convertValue(TAXONOMY.path("categories"), List.class),
                "descriptions", JSON.convertValue(TAXONOMY.path("descriptions"), Map.class),
                "item_text", "description", "examples", examples, "cascade", cascade);
    }

    /** How many examples {@link #definition} holds. */
    public static int exampleCount() {
        return EXAMPLES.stream().mapToInt(i -> i.categories().size()).sum();
    }
}
