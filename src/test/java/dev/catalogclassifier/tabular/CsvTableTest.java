package dev.catalogclassifier.tabular;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a spreadsheet makes of the service's CSV: plain text stays text, whatever a caller put in it. */
class CsvTableTest {

    private final CsvTable table = new CsvTable("id", "name", "score");

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaStartsWithAQuote() {
        String rows = table.rows(List.of(
                Arrays.asList("=HYPERLINK(\"http://evil.example/\",\"click\")", "+1", -0.5),
                Arrays.asList("-2+3", "@SUM(A1)", null),
                Arrays.asList("\tx", "\r=1", true),
                Arrays.asList("a=b", "plain, with comma", 7)));
        assertThat(rows).isEqualTo(
                "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\",'+1,-0.5\r\n"
                        + "'-2+3,'@SUM(A1),\r\n"
                        + "'\tx,\"'\r=1\",true\r\n"
                        + "a=b,\"plain, with comma\",7\r\n");
    }

    @Test
    void aFormulaBehindWhiteSpaceOrInFullWidthIsNeutralisedToo() {
        assertThat(CsvTable.cell(" =1+1")).isEqualTo("' =1+1");
        assertThat(CsvTable.cell("\n=cmd")).isEqualTo("'\n=cmd");
        assertThat(CsvTable.cell("\u00A0\u3000@SUM(A1)")).isEqualTo("'\u00A0\u3000@SUM(A1)");
        assertThat(CsvTable.cell("\uFF1DHYPERLINK(\"x\")")).isEqualTo("'\uFF1DHYPERLINK(\"x\")");
        assertThat(CsvTable.cell("\uFF0B1")).isEqualTo("'\uFF0B1");
        assertThat(CsvTable.cell("  plain text")).isEqualTo("  plain text");
        assertThat(CsvTable.cell("")).isEmpty();
    }

    @Test
    void theHeaderStartsWithAByteOrderMark() {
        assertThat(table.header()).isEqualTo("\uFEFFid,name,score\r\n");
    }

    @Test
    void numbersReadAsPeopleWriteThem() {
        assertThat(table.rows(List.of(Arrays.asList(5.0E7, 480000.0, 1.5E-7), Arrays.asList(0.1f, 0.0, 42L))))
                .isEqualTo("50000000,480000,0.00000015\r\n0.1,0,42\r\n");
        assertThat(CsvTable.cell(Double.NaN)).as("no 'NaN' in a spreadsheet: an empty cell").isEmpty();
    }
}
