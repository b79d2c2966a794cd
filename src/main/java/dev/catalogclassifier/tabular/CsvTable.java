package dev.catalogclassifier.tabular;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The one way the service writes CSV (job results, photo reports), with jackson-dataformat-csv: RFC 4180 quoting
 * (only where a field needs it), CRLF line ends and a UTF-8 byte-order mark before the header, so Excel opens the
 * file in the right encoding. A table is written a chunk of rows at a time, so large exports stream.
 * <p>
 * Text that would start with {@code = + - @} (or their full-width forms), after any white space, or with a tab or a
 * carriage return, gets a leading {@code '} (OWASP's advice
 * against CSV injection): Excel and LibreOffice run such a cell as a formula, and item ids, names and error messages
 * come from callers and providers. Numbers are written as people write them ({@link #number}), booleans as they are.
 */
public final class CsvTable {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING) // quote only what must be, as RFC 4180 writers do
            .build();
    private static final ObjectWriter ROWS = MAPPER.writer(CsvSchema.emptySchema().withLineSeparator("\r\n"));

    /**
     * Characters that make a spreadsheet cell a formula when they come first, past any leading white space (which
     * spreadsheets skip): ASCII and their full-width forms, which some spreadsheets read as the same.
     */
    private static final String FORMULA_START = "=+-@\uFF1D\uFF0B\uFF0D\uFF20";

    private final List<String> columns;

    public CsvTable(String... columns) {
        this.columns = List.of(columns);
    }

    public CsvTable(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** The byte-order mark and the header line. */
    public String header() {
        return "\uFEFF" + rows(List.of(columns));
    }

    /** One line per row, each ending in CRLF; a row holds one value per column, null for an empty field. */
    public String rows(List<? extends List<?>> rows) {
        try {
            StringBuilder out = new StringBuilder(rows.size() * 120);
            for (List<?> row : rows) {
                // every field a string, an empty one for null: written as an array, a null field would be left out
                out.append(ROWS.writeValueAsString(row.stream().map(CsvTable::cell).toList()));
            }
            return out.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a CSV row of strings could not be written", e); // not reached
        }
    }

    /** A value as its cell's text: text that a spreadsheet would run as a formula is neutralised. */
    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number number) {
            return number(number);
        }
        if (!(value instanceof CharSequence)) {
            return String.valueOf(value);
        }
        String text = value.toString();
        int first = 0;
        while (first < text.length() && (Character.isWhitespace(text.charAt(first)) || Character.isSpaceChar(text.charAt(first)))) {
            first++;
        }
        boolean formula = first < text.length() && FORMULA_START.indexOf(text.charAt(first)) >= 0;
        // a leading tab or CR can hide a formula from whoever looks at the cell: neutralised as well
        boolean hiding = !text.isEmpty() && (text.charAt(0) == '\t' || text.charAt(0) == '\r');
        return formula || hiding ? "'" + text : text;
    }

    /**
     * A number as people write it: {@code 50000000}, {@code 480000}, {@code 0.00000015}, never Java's
     * {@code 5.0E7}, {@code 480000.0} or {@code 1.5E-7}, which spreadsheets may read as text and people misread.
     */
    public static String number(Number value) {
        if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "";
            }
            // Float's own shortest text, not its widened double (0.1f is not 0.10000000149011612)
            BigDecimal exact = value instanceof Float ? new BigDecimal(value.toString()) : BigDecimal.valueOf(d);
            return plain(exact);
        }
        return value instanceof BigDecimal decimal ? plain(decimal) : value.toString();
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** The whole table: header and rows. */
    public String table(List<? extends List<?>> rows) {
        return header() + rows(rows);
    }
}
