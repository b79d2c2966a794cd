package dev.catalogclassifier.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.catalogclassifier.testsupport.BenchData;
import dev.catalogclassifier.testsupport.BenchData.IkeaItem;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Jobs from the files catalogue teams keep, CSV and XLSX, and results back as files that stand alone: every input
 * column in order, then what the service found, row by row in the input's order. Read back with the libraries'
 * own parsers (jackson-dataformat-csv, fastexcel-reader), as a spreadsheet would.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class JobFilesTest {

    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final List<IkeaItem> ITEMS = BenchData.ikeaItems().subList(0, 1000);
    private static final List<String> HEADER = List.of("id", "name", "description", "image_url", "brand");
    private static final List<String> FOUND = List.of("category", "confidence", "review", "error");

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void oracle() {
        Map<String, Set<String>> truth = new HashMap<>();
        ITEMS.forEach(item -> truth.put(FakeOpenAi.itemKey(item.name(), item.description()), Set.copyOf(item.categories())));
        fake.reset();
        fake.oracle(truth, 0.9);
    }

    @Test
    void aThousandRowCsvWithABrandColumnComesBackAsCsvWithEveryColumnInOrder() throws IOException {
        // as Excel's "CSV UTF-8" saves it: a byte-order mark, CRLF, quotes where a cell needs them
        String csv = "\uFEFF" + new CsvMapper().writer(CsvSchema.emptySchema().withLineSeparator("\r\n"))
                .writeValueAsString(inputRows());
        String id = submit(given().multiPart("file", "catalogue.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv"));

        byte[] file = given().accept("text/csv").get("/api/v1/jobs/" + id + "/results").then().statusCode(200)
                .header("Content-Disposition", containsString("job-results.csv")).extract().asByteArray();
        List<List<String>> rows = new CsvMapper().readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .<List<String>>readValues(new String(file, StandardCharsets.UTF_8).substring(1)).readAll();
        assertThat(rows.getFirst().subList(0, 9)).as("the input's columns, then what was found")
                .containsExactlyElementsOf(concat(HEADER, FOUND));
        assertRows(id, rows.subList(1, rows.size()).stream().map(row -> (List<Object>) new ArrayList<Object>(row)).toList());
    }

    @Test
    void theSameAsXlsxWithIdsAsNumbersComesBackAsXlsxWithNumbersAsNumbers() throws IOException {
        ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        try (Workbook workbook = new Workbook(xlsx, "test", "1.0")) {
            Worksheet sheet = workbook.newWorksheet("Catalogue");
            List<List<Object>> rows = inputRows();
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Object value = rows.get(r).get(c);
                    if (r > 0 && c == 0) {
                        sheet.value(r, c, Long.parseLong((String) value)); // a spreadsheet keeps numeric ids as numbers
                    } else if (value != null) {
                        sheet.value(r, c, value.toString());
                    }
                }
            }
        }
        String id = submit(given().multiPart("file", "catalogue.xlsx", xlsx.toByteArray(), XLSX));

        byte[] file = given().accept(XLSX).get("/api/v1/jobs/" + id + "/results").then().statusCode(200)
                .contentType(XLSX).header("Content-Disposition", containsString("job-results.xlsx")).extract().asByteArray();
        List<List<Object>> rows = new ArrayList<>();
        List<String> header;
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(file))) {
            List<Row> sheet = workbook.getFirstSheet().read();
            header = sheet.getFirst().stream().map(cell -> cell.getText()).toList();
            int confidence = header.indexOf("confidence");
            for (Row row : sheet.subList(1, sheet.size())) {
                if (row.getCell(header.indexOf("status")).getText().equals("ok")) {
                    assertThat(row.getCell(confidence).getType()).as("a number a spreadsheet can sum").isEqualTo(CellType.NUMBER);
                }
                List<Object> values = new ArrayList<>();
                for (int c = 0; c < header.size(); c++) {
                    values.add(row.getCellCount() > c && row.getCell(c) != null ? row.getCell(c).getText() : null);
                }
                rows.add(values);
            }
        }
        assertThat(header.subList(0, 9)).containsExactlyElementsOf(concat(HEADER, FOUND));
        assertRows(id, rows);
    }

    @Test
    void aFileWithoutAnIdColumnIsA400NamingTheColumnsItHas() {
        given().multiPart("file", "items.csv", "name,description\nMALM,Bed frame\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("file")).body("errors[0].message", containsString("no id column"));
    }

    @Test
    void aRowWithMoreCellsThanTheHeaderIsA400NamingTheRowAndNoJobIsCreated() {
        long before = jobCount();
        given().multiPart("file", "items.csv", "id,name\n1,MALM\n2,BILLY,extra\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.message", hasItem("row 3 has 3 cells; the header has 2"));
        assertThat(jobCount()).isEqualTo(before);
    }

    @Test
    void aRowTheRequestRulesRefuseIsNamedByItsRowInTheFile() {
        given().multiPart("file", "items.csv", "id,name,image_url\n1,MALM,\n,BILLY,\n3,,\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.everyItem(equalTo("file")))
                .body("errors.message", hasItem(org.hamcrest.Matchers.startsWith("row 3 id: ")))
                .body("errors.message", hasItem(org.hamcrest.Matchers.startsWith("row 4: ")));
    }

    @Test
    void aLegacyXlsWorkbookIsA400SayingHowToSaveIt() {
        byte[] ole2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
        given().multiPart("file", "items.xls", ole2, "application/vnd.ms-excel").post("/api/v1/jobs").then()
                .statusCode(400).body("errors[0].message", containsString("save it as .xlsx or as CSV UTF-8"));
    }

    @Test
    void optionsThatCarryItemsOrAreNotJsonAreA400NamingThem() {
        byte[] csv = "id,name\n1,MALM bed\n".getBytes(StandardCharsets.UTF_8);
        given().multiPart("file", "items.csv", csv, "text/csv").multiPart("options", "{\"items\": []}", "application/json")
                .post("/api/v1/jobs").then().statusCode(400).body("errors[0].field", equalTo("options.items"));
        given().multiPart("file", "items.csv", csv, "text/csv").multiPart("options", "{classifier: local", "application/json")
                .post("/api/v1/jobs").then().statusCode(400).body("errors[0].field", equalTo("options"));
        given().multiPart("options", "{}", "application/json").post("/api/v1/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("file"));
    }

    /** The header and 1,000 IKEA items, each with a brand; some cells need quoting, one row has no description. */
    private static List<List<Object>> inputRows() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(new ArrayList<>(HEADER));
        for (int i = 0; i < ITEMS.size(); i++) {
            IkeaItem item = ITEMS.get(i);
            rows.add(java.util.Arrays.asList(item.id(), item.name(), i == 5 ? null : item.description(), null,
                    i % 3 == 0 ? "IKEA of Sweden, \"Älmhult\"" : "brand-" + i % 7));
        }
        return rows;
    }

    /** The exported rows are the input's, in its order, each with the category the job's JSON results give it. */
    private void assertRows(String id, List<List<Object>> exported) {
        List<Map<String, Object>> results = given().get("/api/v1/jobs/" + id + "/results?limit=1000").then().statusCode(200)
                .extract().jsonPath().getList("items");
        List<List<Object>> input = inputRows().subList(1, ITEMS.size() + 1);
        assertThat(exported).hasSize(ITEMS.size());
        Set<String> categories = new TreeSet<>();
        for (int i = 0; i < ITEMS.size(); i++) {
            List<Object> row = exported.get(i);
            for (int c = 0; c < HEADER.size(); c++) {
                assertThat(blank(row.get(c))).as("row %d, column %s", i + 2, HEADER.get(c)).isEqualTo(blank(input.get(i).get(c)));
            }
            assertThat(blank(row.get(5))).as("row %d's category", i + 2).isEqualTo(results.get(i).get("category"));
            categories.add(String.valueOf(row.get(5)));
        }
        assertThat(categories).as("the oracle's answers, varied as the catalogue is").hasSizeGreaterThan(5);
        assertThat(fake.invalidRequests()).isEmpty();
    }

    private static String submit(io.restassured.specification.RequestSpecification upload) {
        Response response = upload.multiPart("options", "{\"classifier\": \"llm\", \"taxonomy\": " + taxonomy() + "}", "application/json")
                .post("/api/v1/jobs");
        response.then().statusCode(202).body("total", equalTo(1000));
        String id = response.jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(120)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        return id;
    }

    private static String taxonomy() {
        try {
            return new ObjectMapper().writeValueAsString(ITEMS.stream().flatMap(item -> item.categories().stream())
                    .collect(Collectors.toCollection(TreeSet::new)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long jobCount() {
        return given().get("/api/v1/jobs?limit=1").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    private static String blank(Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
