package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real data under {@code bench/data} (provenance in its README), for tests and benchmarks alike: IKEA catalogue
 * items, Google's Product Taxonomy, and the mapping from IKEA categories to Google subtrees.
 */
public final class BenchData {

    private static final Path DIR = Path.of("bench", "data");

    private BenchData() {
    }

    /** An IKEA item: its id, series name, product-type phrase and its IKEA categories (any of them is right). */
    public record IkeaItem(String id, String name, String description, List<String> categories) {
    }

    /** Google's 5,595 category paths, in the file's order. */
    public static List<String> googleTaxonomy() {
        try {
            return Files.readAllLines(DIR.resolve("google-product-taxonomy.txt")).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The items of {@code ikea-dev.csv}, in the file's order. */
    public static List<IkeaItem> ikeaItems() {
        try {
            List<String> lines = Files.readAllLines(DIR.resolve("ikea-dev.csv"));
            List<IkeaItem> items = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                List<String> f = fields(line);
                items.add(new IkeaItem(f.get(0), f.get(1), f.get(2), List.of(f.get(3).split("\\|"))));
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** IKEA category → the Google paths whose subtrees hold it ({@code ikea-to-google.tsv}). */
    public static Map<String, List<String>> ikeaToGoogle() {
        try {
            Map<String, List<String>> mapping = new LinkedHashMap<>();
            for (String line : Files.readAllLines(DIR.resolve("ikea-to-google.tsv"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] part = line.split("\t");
                    mapping.computeIfAbsent(part[0], k -> new ArrayList<>()).add(part[1]);
                }
            }
            return mapping;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code path} is one of {@code roots} or lies below one. */
    public static boolean within(String path, List<String> roots) {
        return roots.stream().anyMatch(r -> path.equals(r) || path.startsWith(r + " > "));
    }

    /** RFC 4180 fields of one line (the data has no line breaks inside fields). */
    public static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
