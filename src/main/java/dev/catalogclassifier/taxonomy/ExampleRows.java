package dev.catalogclassifier.taxonomy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.catalogclassifier.local.Dimensions;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** Example rows read into the classifier's arrays, and the last row's id. */
record ExampleRows(float[][] vectors, int[] labels, Dimensions[] sizes, long lastId) {

    static ExampleRows of(RowSet<Row> rows, List<String> categories) {
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int c = 0; c < categories.size(); c++) {
            index.put(categories.get(c), c);
        }
        float[][] vectors = new float[rows.rowCount()][];
        int[] labels = new int[rows.rowCount()];
        Dimensions[] sizes = new Dimensions[rows.rowCount()];
        long last = 0;
        int i = 0;
        for (Row row : rows) {
            vectors[i] = TaxonomyStore.floats(row.getBuffer("vector").getBytes());
            sizes[i] = TaxonomyStore.dimensions(row.getArrayOfFloats("size_cm"));
            labels[i++] = index.get(row.getString("category"));
            last = Math.max(last, row.getLong("id"));
        }
        return new ExampleRows(vectors, labels, sizes, last);
    }

    /** These rows, then {@code next}'s: the vectors themselves are not copied. */
    ExampleRows then(ExampleRows next) {
        float[][] allVectors = Arrays.copyOf(vectors, vectors.length + next.vectors.length);
        System.arraycopy(next.vectors, 0, allVectors, vectors.length, next.vectors.length);
        int[] allLabels = Arrays.copyOf(labels, labels.length + next.labels.length);
        System.arraycopy(next.labels, 0, allLabels, labels.length, next.labels.length);
        Dimensions[] allSizes = Arrays.copyOf(sizes, sizes.length + next.sizes.length);
        System.arraycopy(next.sizes, 0, allSizes, sizes.length, next.sizes.length);
        return new ExampleRows(allVectors, allLabels, allSizes, Math.max(lastId, next.lastId));
    }
}
