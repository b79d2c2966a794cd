package dev.catalogclassifier.tabular;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The one way the service writes XLSX, with fastexcel: one sheet, a bold frozen header, numbers and booleans as
 * spreadsheet values, text as text (a cell written as a string is never run as a formula, so no quote is needed as
 * in {@link CsvTable}). The workbook is written a chunk of rows at a time and each chunk's bytes handed back at
 * once, so a large export streams instead of sitting in memory.
 */
public final class XlsxTable {

    private final List<String> columns;

    public XlsxTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** A new workbook; its header row is written with the first chunk. */
    public Writer open(String sheetName) {
        return new Writer(sheetName);
    }

    /** One workbook being written: rows, then {@link #finish()}. Not thread-safe: one writer per export. */
    public final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Workbook workbook;
        private final Worksheet sheet;
        private int next;

        private Writer(String sheetName) {
            workbook = new Workbook(out, "catalog-classifier", "1.0");
            sheet = workbook.newWorksheet(sheetName);
            for (int c = 0; c < columns.size(); c++) {
                sheet.value(0, c, columns.get(c));
            }
            sheet.range(0, 0, 0, columns.size() - 1).style().bold().set();
            sheet.freezePane(0, 1);
            next = 1;
        }

        /** Writes the rows (one value per column, null for an empty cell) and returns the bytes written so far. */
        public byte[] rows(List<? extends List<?>> rows) {
            for (List<?> row : rows) {
                for (int c = 0; c < row.size(); c++) {
                    value(next, c, row.get(c));
                }
                next++;
            }
            try {
                sheet.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // written to memory: not reached
            }
            return drain();
        }

        /** Ends the workbook and returns its last bytes. */
        public byte[] finish() {
            try {
                workbook.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return drain();
        }

        private void value(int row, int column, Object value) {
            switch (value) {
                case null -> { }
                case Number number when Double.isFinite(number.doubleValue()) -> sheet.value(row, column, number);
                case Number notFinite -> { }
                case Boolean flag -> sheet.value(row, column, flag);
                default -> sheet.value(row, column, value.toString());
            }
        }

        private byte[] drain() {
            byte[] bytes = out.toByteArray();
            out.reset();
            return bytes;
        }
    }
}
