package dev.catalogclassifier.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.local.Dimensions;

/** A taxonomy is loaded a page of examples at a time; the pages must join in row order, vectors untouched. */
class ExampleRowsTest {

    @Test
    void pagesJoinInRowOrderAndKeepTheLastRowId() {
        float[] a = {1f, 0f};
        float[] b = {0f, 1f};
        float[] c = {0.5f, 0.5f};
        ExampleRows first = new ExampleRows(new float[][] {a, b}, new int[] {0, 1},
                new Dimensions[] {Dimensions.NONE, Dimensions.NONE}, 12);
        ExampleRows second = new ExampleRows(new float[][] {c}, new int[] {2}, new Dimensions[] {Dimensions.NONE}, 40);

        ExampleRows joined = first.then(second);

        assertThat(joined.vectors().length).isEqualTo(3);
        // in row order, and the vectors themselves shared, not copied
        assertThat(joined.vectors()[0]).isSameAs(a);
        assertThat(joined.vectors()[1]).isSameAs(b);
        assertThat(joined.vectors()[2]).isSameAs(c);
        assertThat(joined.labels()).containsExactly(0, 1, 2);
        assertThat(joined.sizes()).hasSize(3);
        assertThat(joined.lastId()).isEqualTo(40);
    }

    @Test
    void anEmptyLastPageChangesNothing() {
        ExampleRows page = new ExampleRows(new float[][] {{1f}}, new int[] {3}, new Dimensions[] {Dimensions.NONE}, 7);
        ExampleRows empty = new ExampleRows(new float[0][], new int[0], new Dimensions[0], 0);

        ExampleRows joined = page.then(empty);

        assertThat(joined.labels()).containsExactly(3);
        assertThat(joined.lastId()).isEqualTo(7);
    }
}
