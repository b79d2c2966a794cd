package dev.catalogclassifier.taxonomy;

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
}
