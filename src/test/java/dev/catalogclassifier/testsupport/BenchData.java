package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * The real data under {@code bench/data} (provenance in its README), for tests and benchmarks alike: IKEA catalogue
 * items, Google's Product Taxonomy, and the mapping from IKEA categories to Google subtrees.
 */
public final class BenchData {

    private static final Path DIR = Path.of("bench", "data");
    private static final CsvMapper CSV = new CsvMapper();

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
        List<List<String>> records = records(DIR.resolve("ikea-dev.csv"));
        List<IkeaItem> items = new ArrayList<>();
        for (List<String> f : records.subList(1, records.size())) {
            items.add(new IkeaItem(f.get(0), f.get(1), f.get(2), List.of(f.get(3).split("\\|"))));
        }
        return items;
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

    /** Every record of a CSV file (RFC 4180, read with jackson-dataformat-csv), the header first. */
    public static List<List<String>> records(Path csv) {
        try (MappingIterator<List<String>> records = CSV.readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(csv.toFile())) {
            return records.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
