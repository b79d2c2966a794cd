package dev.catalogclassifier.tabular;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.ReadableWorkbook;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;

/**
 * A table a caller uploaded, CSV (UTF-8, RFC 4180, with or without a byte-order mark) or XLSX (its first sheet): the
 * header row and the rows below it, every cell as text. Numbers in a spreadsheet read as people write them
 * ({@code 12345}, not {@code 12345.0}); empty rows are skipped; a row shorter than the header has empty cells at the
 * end (spreadsheets drop them), a longer one is an error. Rows are numbered as a spreadsheet shows them: the header
 * is row 1.
 *
 * @param header the header row's cells, trimmed
 * @param rows the rows below it, in file order
 */
public record TableFile(FileFormat format, List<String> header, List<Row> rows) {

    private static final ObjectReader CSV = new CsvMapper().readerForListOf(String.class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY)
            .with(CsvParser.Feature.SKIP_EMPTY_LINES);

    /** A row of the file: its number as a spreadsheet shows it, and one cell per header column. */
    public record Row(int number, List<String> cells) {
    }

    /**
     * Reads a file of at most {@code maxRows} rows below the header.
     *
     * @throws InvalidRequestException naming the field {@code file} and what is wrong, row by row
     */
    public static TableFile read(InputStream input, int maxRows) throws IOException {
        BufferedInputStream in = new BufferedInputStream(input);
        in.mark(8);
        byte[] head = in.readNBytes(4);
        in.reset();
        FileFormat format = FileFormat.sniff(head);
        List<List<String>> lines = format == FileFormat.XLSX ? xlsx(in, maxRows) : csv(in, maxRows);
        return of(format, lines);
    }

    static InvalidRequestException unreadable(String problem) {
        return new InvalidRequestException(List.of(new FieldError("file", problem)));
    }

    private static TableFile of(FileFormat format, List<List<String>> lines) {
        if (lines.isEmpty()) {
            throw unreadable("is empty: it needs a header row, such as id,name,description,image_url");
        }
        List<String> header = lines.getFirst().stream().map(cell -> cell == null ? "" : cell.strip()).toList();
        List<FieldError> errors = new ArrayList<>();
        List<Row> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            List<String> cells = lines.get(i);
            if (cells.size() > header.size()) {
                errors.add(new FieldError("file", "row " + (i + 1) + " has " + cells.size() + " cells; the header has "
                        + header.size()));
            }
            rows.add(new Row(i + 1, padded(cells, header.size())));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.subList(0, Math.min(errors.size(), 20)));
        }
        return new TableFile(format, header, rows);
    }

    private static List<String> padded(List<String> cells, int size) {
        List<String> padded = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            padded.add(i < cells.size() ? cells.get(i) : null);
        }
        return padded;
    }

    private static List<List<String>> csv(InputStream in, int maxRows) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        try (MappingIterator<List<String>> rows = CSV.readValues(in)) {
            while (rows.hasNextValue()) {
                List<String> row = rows.nextValue();
                if (row.stream().allMatch(cell -> cell == null || cell.isBlank())) {
                    continue;
                }
                lines.add(row);
                tooMany(lines, maxRows);
            }
        } catch (RuntimeException | IOException e) {
            if (e instanceof InvalidRequestException invalid) {
                throw invalid;
            }
            // Jackson names the line and column; the file's own text is not echoed back
            throw unreadable("is not CSV in UTF-8 (as a spreadsheet's \"CSV UTF-8\" saves it) past row "
                    + (lines.size() + 1) + ": " + firstLine(e.getMessage()));
        }
        return lines;
    }

    private static List<List<String>> xlsx(InputStream in, int maxRows) throws IOException {
        List<List<String>> lines = new ArrayList<>();
        try (ReadableWorkbook workbook = new ReadableWorkbook(in);
                Stream<org.dhatim.fastexcel.reader.Row> rows = workbook.getFirstSheet().openStream()) {
            Iterator<org.dhatim.fastexcel.reader.Row> each = rows.iterator();
            while (each.hasNext()) {
                List<String> row = cells(each.next());
                if (!row.stream().allMatch(cell -> cell == null || cell.isBlank())) {
                    lines.add(row);
                    tooMany(lines, maxRows);
                }
            }
        } catch (InvalidRequestException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unreadable("is not a readable XLSX workbook: " + firstLine(e.getMessage()));
        }
        return lines;
    }

    private static List<String> cells(org.dhatim.fastexcel.reader.Row row) {
        List<String> cells = new ArrayList<>(row.getCellCount());
        for (int i = 0; i < row.getCellCount(); i++) {
            cells.add(text(row.getCell(i)));
        }
        return cells;
    }

    /** A cell as the text a person sees for it; a formula's value as last calculated. */
    private static String text(Cell cell) {
        if (cell == null || cell.getRawValue() == null) {
            return null;
        }
        return switch (cell.getType()) {
            case NUMBER -> CsvTable.number(new BigDecimal(cell.getRawValue()));
            case FORMULA -> numberOrText(cell.getRawValue());
            case BOOLEAN -> Boolean.toString("1".equals(cell.getRawValue()));
            case EMPTY -> null;
            default -> cell.getText();
        };
    }

    private static String numberOrText(String raw) {
        try {
            return CsvTable.number(new BigDecimal(raw));
        } catch (NumberFormatException notANumber) {
            return raw;
        }
    }

    private static void tooMany(List<List<String>> lines, int maxRows) {
        if (lines.size() > maxRows + 1) {
            throw unreadable("has more than " + maxRows + " rows below its header, the most a job takes");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "it could not be parsed";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
