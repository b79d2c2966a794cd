package dev.catalogclassifier.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.bench.AccuracyBenchmark.Row;
import dev.catalogclassifier.local.LocalClassifier;

/**
 * ikea-dev's items and the benchmark taxonomy, embedded once as the service reads them: what the cascade
 * benchmarks start from.
 */
record EmbeddedIkea(List<Row> rows, List<String> categories, float[][] vectors, float[][] labels) {

    /** {@code <ikea-dev.csv> <taxonomy.json>}. */
    static EmbeddedIkea read(String[] args) throws Exception {
        List<Row> rows = AccuracyBenchmark.read(Path.of(args[0]));
        JsonNode taxonomy = new ObjectMapper().readTree(Path.of(args[1]).toFile());
        List<String> categories = new ObjectMapper().convertValue(taxonomy.path("categories"), new TypeReference<>() { });
        Map<String, String> descriptions = new ObjectMapper().convertValue(taxonomy.path("descriptions"), new TypeReference<>() { });
        LocalClassifier local = new LocalClassifier();
        return new EmbeddedIkea(rows, categories, local.embedAsync(rows.stream().map(Row::text).toList()).join(),
                local.embed(LocalClassifier.labelTexts(categories, descriptions)));
    }
}
