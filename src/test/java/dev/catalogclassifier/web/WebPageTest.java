package dev.catalogclassifier.web;

import static dev.catalogclassifier.testsupport.Chromium.awaitPage;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import dev.catalogclassifier.testsupport.Chromium;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The page at {@code /} in a real headless Chromium (Debian's chromium and chromium-driver, through Selenium):
 * a person pastes 50 items, watches them arrive, retries the three the provider failed, and downloads the CSV.
 * Screenshots go to {@code target/screenshots}. Skipped, saying why, where Chromium is not installed, unless
 * {@code CLASSIFIER_REQUIRE_BROWSER=true} (CI sets it).
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
@EnabledIf(value = Chromium.ENABLED, disabledReason = Chromium.MISSING)
class WebPageTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Path DOWNLOADS = Path.of("target", "downloads").toAbsolutePath();

    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL page;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeAll
    static void startBrowser() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        browser = Chromium.start(DOWNLOADS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void freshPage() {
        fake.reset();
        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.get(page.toString());
    }

    @Test
    void aPersonRunsFiftyItemsWatchesThemArriveRetriesTheFailuresAndDownloadsTheCsv() throws IOException {
        List<Integer> failing = List.of(7, 23, 41);
        String csv = "id,name,description,image_url\n" + IntStream.range(0, 50)
                .mapToObj(i -> "sku-" + i + "," + name(i) + (failing.contains(i) ? " [500:4]" : "") + ",\"solid wood, "
                        + (100 + i) + " cm\",")
                .collect(Collectors.joining("\n"));
        fill(csv);
        browser.findElement(By.cssSelector("[data-testid=classifier] option[value=llm]")).click();
        byTestId("start").sendKeys(Keys.ENTER);

        awaitPage().until(() -> rows().size() == 50 && "completed".equals(jobStatus()));
        assertThat(byTestId("progress").getDomProperty("value")).isEqualTo(byTestId("progress").getDomProperty("max"));
        assertThat(byTestId("progress").getDomProperty("max")).isEqualTo("50");
        assertThat(text("percent")).isEqualTo("100 %");
        assertThat(rowsWith("failed")).extracting(r -> r.findElements(By.tagName("td")).get(1).getText())
                .containsExactlyInAnyOrder("sku-7", "sku-23", "sku-41");
        assertThat(rowsWith("failed")).allSatisfy(r -> assertThat(r.getCssValue("background-color"))
                .as("failed rows stand out").isNotEqualTo(rowsWith("ok").getFirst().getCssValue("background-color")));
        assertThat(rowsWith("ok")).hasSize(47).allSatisfy(r -> assertThat(r.getText()).as("each item's cost")
                .containsPattern("\\$0\\.\\d*[1-9]"));
        assertThat(byTestId("job-summary").getText()).contains("completed", "50 / 50").containsPattern("\\$0\\.\\d{4}");
        assertThat(byTestId("job-cost").getText()).isNotEqualTo("$0.0000");
        // every answered row says whether to check it, and the job's count of those to check agrees with the rows
        assertThat(rowsWith("ok")).allSatisfy(r -> assertThat(r.findElements(By.tagName("td")).get(6).getText())
                .matches("(review|ok)( \\(\\d+ % sure\\))?"));
        assertThat(byTestId("job-review").getText()).isEqualTo(String.valueOf(
                browser.findElements(By.cssSelector("[data-testid=result-row][data-review=true]")).size()));
        screenshot("1-finished-with-failures");

        WebElement retry = byTestId("retry-failed");
        assertThat(retry.isEnabled()).isTrue();
        retry.click();
        awaitPage().until(() -> rowsWith("ok").size() == 50 && "completed".equals(jobStatus()));
        assertThat(rows()).as("retried items replace their rows").hasSize(50);
        assertThat(byTestId("retry-failed").isEnabled()).as("nothing left to retry").isFalse();
        screenshot("2-after-retry");

        List<String> lines = download();
        assertThat(lines.getFirst()).startsWith("\uFEFFid,name,description,image_url,category,confidence,review,error");
        assertThat(lines.subList(1, lines.size())).hasSize(50).allSatisfy(line -> assertThat(line).contains(",ok,"));
        assertThat(lines.get(8)).as("the input's own columns first, as pasted").startsWith("sku-7," + name(7) + " [500:4],\"solid wood, 107 cm\",,");

        awaitPage().untilAsserted(() -> assertThat(recentJobs()).isNotEmpty().first()
                .satisfies(link -> assertThat(link.getText()).contains("completed", "50 items")));
    }

    @Test
    void anUploadedFileIsClassifiedIntoAPastedTaxonomyInOnePack() throws IOException {
        Path csv = Files.createTempFile("items", ".csv");
        Files.writeString(csv, "id,name,description,image_url\r\nu-1,MALM,\"Bed frame, high\",\r\nu-2,ADDE,Chair,\r\n");
        byTestId("items-file").sendKeys(csv.toAbsolutePath().toString());
        awaitPage().until(() -> byTestId("file-note").getText().contains(csv.getFileName() + " (1 KB) is uploaded as it is"));
        browser.findElement(By.cssSelector("input[name=taxonomy][value=list]")).click();
        byTestId("taxonomy-list").sendKeys("Beds\nChairs\nLamps");
        browser.findElement(By.cssSelector("[data-testid=classifier] option[value=llm]")).click();
        browser.findElement(By.cssSelector("[data-testid=pack] option[value='5']")).click();
        byTestId("start").click();
        awaitPage().until(() -> "completed".equals(jobStatus()) && rowsWith("ok").size() == 2);
        assertThat(rows()).extracting(r -> r.findElements(By.tagName("td")).get(4).getText())
                .containsExactlyInAnyOrder("Beds", "Chairs");
        assertThat(fake.calls()).as("both items in one pack").singleElement()
                .satisfies(call -> assertThat(call.prompt()).contains("[id: 2]", "Lamps"));
    }

    /**
     * A catalogue team's spreadsheet, 1,000 IKEA rows with a brand column, as XLSX and as CSV, uploaded through the
     * page as it is: the job's pictures show the job's own numbers (the categories and review marks counted again here
     * from its results), the review count is a click away, and the download in the same format holds every input
     * column, in order.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = { "xlsx", "csv" })
    void aSpreadsheetGoesInThroughThePageAndItsPicturesShowTheJobsNumbers(String format) throws IOException {
        List<dev.catalogclassifier.testsupport.BenchData.IkeaItem> items = dev.catalogclassifier.testsupport.BenchData.ikeaItems().subList(0, 1000);
        java.util.Map<String, java.util.Set<String>> truth = new java.util.HashMap<>();
        items.forEach(item -> truth.put(FakeOpenAi.itemKey(item.name(), item.description()), java.util.Set.copyOf(item.categories())));
        fake.oracle(truth, 0.9);
        Path upload = catalogue(format, items);
        byTestId("items-file").sendKeys(upload.toAbsolutePath().toString()); // uploaded as it is, CSV or XLSX
        browser.findElement(By.cssSelector("input[name=taxonomy][value=list]")).click();
        byTestId("taxonomy-list").sendKeys(items.stream().flatMap(item -> item.categories().stream()).distinct().sorted()
                .collect(Collectors.joining("\n")));
        browser.findElement(By.cssSelector("[data-testid=classifier] option[value=llm]")).click();
        byTestId("start").click();
        awaitPage().atMost(java.time.Duration.ofMinutes(3)).until(() -> "completed".equals(jobStatus()) && rows().size() == 1000);
        String id = browser.getCurrentUrl().replaceFirst(".*#job=", "");

        // the job's numbers, counted here from its results
        List<java.util.Map<String, Object>> results = given().get("/api/v1/jobs/" + id + "/results?limit=1000").then()
                .statusCode(200).extract().jsonPath().getList("items");
        java.util.Map<String, Long> byCategory = results.stream().filter(r -> "ok".equals(r.get("status")))
                .collect(Collectors.groupingBy(r -> (String) r.get("category"), Collectors.counting()));
        long ok = byCategory.values().stream().mapToLong(Long::longValue).sum();
        long review = results.stream().filter(r -> Boolean.TRUE.equals(r.get("review"))).count();
        awaitPage().until(() -> byTestId("sureness-text").getText().startsWith(ok + " answers, " + review + " marked for review"));

        List<List<String>> shown = tableOf("categories-table");
        List<java.util.Map.Entry<String, Long>> ranked = byCategory.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
                .toList();
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            assertThat(shown.get(i)).as("bar %d", i + 1).containsExactly(ranked.get(i).getKey(), String.valueOf(ranked.get(i).getValue()));
        }
        if (ranked.size() > 10) {
            long rest = ranked.subList(10, ranked.size()).stream().mapToLong(java.util.Map.Entry::getValue).sum();
            assertThat(shown.get(10)).containsExactly((ranked.size() - 10) + " other categories", String.valueOf(rest));
        }
        List<List<String>> bins = tableOf("sureness-table");
        assertThat(bins).hasSize(10);
        assertThat(bins.stream().mapToLong(row -> Long.parseLong(row.get(1))).sum()).isEqualTo(ok);
        assertThat(bins.stream().mapToLong(row -> Long.parseLong(row.get(2))).sum()).isEqualTo(review);
        assertThat(byTestId("pace-text").getText()).startsWith("1000 items done");
        assertThat(((JavascriptExecutor) browser).executeScript("return Chart.getChart('sureness-chart').data.datasets[0].data"))
                .as("the chart draws the table's numbers").isEqualTo(bins.stream().map(row -> Long.parseLong(row.get(2))).toList());
        screenshot("5-pictures-" + format);

        if (review > 0) {
            byTestId("show-review").click();
            awaitPage().until(() -> rows().stream().filter(WebElement::isDisplayed).count() == review);
            byTestId("show-review").click();
        }
        Path file = DOWNLOADS.resolve("job-" + id + "." + format);
        Files.deleteIfExists(file);
        byTestId("download-" + format).click();
        awaitPage().until(() -> Files.exists(file) && Files.size(file) > 0 && !Files.exists(Path.of(file + ".crdownload")));
        List<List<String>> sheet = readTable(file, format);
        assertThat(sheet.getFirst().subList(0, 9))
                .containsExactly("id", "name", "description", "image_url", "brand", "category", "confidence", "review", "error");
        assertThat(sheet).hasSize(1001);
        assertThat(sheet.get(1000).get(0)).isEqualTo(items.get(999).id());
        assertThat(sheet.get(1000).get(4)).isEqualTo("brand-" + 999 % 4);
    }

    /** The items as a catalogue team's file: id, name, description, image_url and a brand column. */
    private static Path catalogue(String format, List<dev.catalogclassifier.testsupport.BenchData.IkeaItem> items) throws IOException {
        List<List<String>> rows = new java.util.ArrayList<>();
        rows.add(List.of("id", "name", "description", "image_url", "brand"));
        for (int r = 0; r < items.size(); r++) {
            rows.add(java.util.Arrays.asList(items.get(r).id(), items.get(r).name(), items.get(r).description(), null, "brand-" + r % 4));
        }
        Path file = Files.createTempFile("catalogue", "." + format);
        if (format.equals("csv")) {
            Files.writeString(file, new com.fasterxml.jackson.dataformat.csv.CsvMapper().writeValueAsString(rows));
            return file;
        }
        try (var out = Files.newOutputStream(file); var workbook = new org.dhatim.fastexcel.Workbook(out, "test", "1.0")) {
            var sheet = workbook.newWorksheet("Catalogue");
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    if (rows.get(r).get(c) != null) {
                        sheet.value(r, c, rows.get(r).get(c));
                    }
                }
            }
        }
        return file;
    }

    /** A downloaded table read with the library's own parser: every row's cells as text. */
    private static List<List<String>> readTable(Path file, String format) throws IOException {
        if (format.equals("csv")) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new com.fasterxml.jackson.dataformat.csv.CsvMapper().readerForListOf(String.class)
                    .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                    .<List<String>>readValues(text.startsWith("\uFEFF") ? text.substring(1) : text).readAll();
        }
        try (var workbook = new org.dhatim.fastexcel.reader.ReadableWorkbook(file.toFile())) {
            return workbook.getFirstSheet().read().stream()
                    .map(row -> row.stream().map(cell -> cell == null ? "" : cell.getText()).toList()).toList();
        }
    }

    @Test
    void aStoredTaxonomysCascadeIsShownWithTheShareItSettlesAndThePrecisionItPromises() throws IOException {
        List<dev.catalogclassifier.testsupport.BenchData.IkeaItem> items = dev.catalogclassifier.testsupport.BenchData.ikeaItems().subList(0, 600);
        List<java.util.Map<String, String>> examples = items.stream().map(item -> java.util.Map.of("name", item.name(),
                "description", item.description(), "category", item.categories().getFirst())).toList();
        List<String> categories = items.stream().map(item -> item.categories().getFirst()).distinct().sorted().toList();
        given().contentType("application/json").body(java.util.Map.of("categories", categories, "examples", examples))
                .put("/api/v1/taxonomies/web-cascade").then().statusCode(anyOf(is(200), is(201)));
        java.util.Map<String, Object> cascade = given().get("/api/v1/taxonomies/web-cascade").then().statusCode(200)
                .extract().jsonPath().getMap("cascade");
        offeredTaxonomy("web-cascade");
        byTestId("taxonomy-name").sendKeys("web-cascade", Keys.TAB);
        awaitPage().until(() -> byTestId("cascade").isDisplayed());
        String caption = byTestId("cascade-caption").getText();
        if (Boolean.TRUE.equals(cascade.get("calibrated")) && cascade.get("settled_share") != null) {
            assertThat(caption).contains("settles " + percent(cascade.get("settled_share")) + " of items")
                    .contains("precision promised, " + percent(cascade.get("precision")));
        } else {
            assertThat(caption).contains("not calibrated yet");
        }
        screenshot("6-cascade");
    }

    /** A share as the page writes it: to a tenth of a percent, no trailing zero ({@code 97 %}, {@code 41.3 %}). */
    private static String percent(Object share) {
        return java.math.BigDecimal.valueOf(Math.round(((Number) share).doubleValue() * 1000) / 10.0).stripTrailingZeros()
                .toPlainString() + " %";
    }

    private static List<List<String>> tableOf(String testId) {
        return browser.findElements(By.cssSelector("[data-testid=" + testId + "] tbody tr")).stream()
                .map(tr -> tr.findElements(By.tagName("td")).stream().map(td -> td.getDomProperty("textContent")).toList())
                .toList();
    }

    /** Chooses a named taxonomy on the page and waits until the page offers {@code name}; that offer. */
    private WebElement offeredTaxonomy(String name) {
        browser.findElement(By.cssSelector("input[name=taxonomy][value=named]")).click();
        By option = By.cssSelector("[data-testid=taxonomy-names] option[value=" + name + "]");
        awaitPage().until(() -> !browser.findElements(option).isEmpty());
        return browser.findElement(option);
    }

    @Test
    void aTaxonomyNotReadyIsOfferedWithItsStatus() {
        // a background preparation that failed (as a PUT answered 202 can): listed, and the page says it is not usable
        pool.query("INSERT INTO taxonomy_preparation (tenant, name, attempt, definition, pod, phase, categories, examples, "
                + "started_at, error) VALUES ('', 'web-page-failed', gen_random_uuid(), '{\"categories\": [\"Beds\", \"Chairs\"]}', "
                + "NULL, 'failed', 2, 0, now(), 'the preparation failed (test); PUT the taxonomy again')").execute().await().indefinitely();
        try {
            fill("[{\"id\": \"n-1\", \"name\": \"MALM bed\"}]");
            assertThat(offeredTaxonomy("web-page-failed").getAttribute("label"))
                    .isEqualTo("2 categories, 0 examples (failed: not usable yet)");
        } finally {
            pool.query("DELETE FROM taxonomy_preparation WHERE name = 'web-page-failed'").execute().await().indefinitely();
        }
    }

    @Test
    void aStoredTaxonomyIsOfferedByNameAndUsed() {
        given().contentType("application/json").body("{\"categories\": [\"Beds\", \"Chairs\", \"Garden\"]}")
                .put("/api/v1/taxonomies/web-page-test").then().statusCode(anyOf(is(200), is(201)));
        fill("[{\"id\": \"n-1\", \"name\": \"ÄPPLARÖ garden chair\"}]");
        assertThat(offeredTaxonomy("web-page-test").getAttribute("label")).isEqualTo("3 categories, 0 examples");
        byTestId("taxonomy-name").sendKeys("web-page-test");
        browser.findElement(By.cssSelector("[data-testid=classifier] option[value=llm]")).click();
        byTestId("start").click();
        awaitPage().until(() -> "completed".equals(jobStatus()) && rowsWith("ok").size() == 1);
        assertThat(rows().getFirst().findElements(By.tagName("td")).get(4).getText()).isIn("Beds", "Chairs", "Garden");
        assertThat(fake.calls().getLast().prompt()).contains("Garden");
    }

    @Test
    void aFullPathReadsAsItsStepsAndARowShowsTheCandidatesItWasChosenFrom() throws IOException {
        List<String> furniture = dev.catalogclassifier.testsupport.BenchData.googleTaxonomy().stream()
                .filter(c -> c.startsWith("Furniture")).toList();
        given().contentType("application/json").body(java.util.Map.of("categories", furniture))
                .put("/api/v1/taxonomies/web-furniture").then().statusCode(anyOf(is(200), is(201)));
        fill("[{\"id\": \"p-1\", \"name\": \"ADDE\", \"description\": \"Folding chair\"}]");
        browser.findElement(By.cssSelector("input[name=taxonomy][value=named]")).click();
        byTestId("taxonomy-name").sendKeys("web-furniture");
        browser.findElement(By.cssSelector("[data-testid=classifier] option[value=llm]")).click();
        byTestId("explain").click();
        byTestId("start").click();
        awaitPage().until(() -> "completed".equals(jobStatus()) && rowsWith("ok").size() == 1);
        WebElement category = rows().getFirst().findElements(By.tagName("td")).get(4);
        String path = category.findElement(By.cssSelector(".path")).getDomAttribute("title");
        assertThat(furniture).contains(path);
        assertThat(category.findElement(By.cssSelector(".path strong")).getText()).isEqualTo(path.substring(path.lastIndexOf("> ") + 2));
        assertThat(category.getText()).startsWith(path.replace(" > ", " › "));
        WebElement candidates = category.findElement(By.cssSelector("[data-testid=candidates]"));
        assertThat(candidates.getText()).isEqualTo("25 candidates");
        candidates.findElement(By.tagName("summary")).click();
        List<WebElement> listed = candidates.findElements(By.tagName("li"));
        assertThat(listed).hasSize(25);
        assertThat(candidates.findElements(By.cssSelector("li.chosen"))).singleElement()
                .satisfies(li -> assertThat(li.findElement(By.cssSelector(".path")).getDomAttribute("title")).isEqualTo(path));
        assertThat(fake.calls().getFirst().categoryEnum()).as("the 25 candidates and the way out").hasSize(26)
                .endsWith("None of these");
        screenshot("candidates");
    }

    @Test
    void theWholeJobCanBeRunFromTheKeyboard() {
        byTestId("items-input").click();
        byTestId("items-input").sendKeys("[{\"id\": \"k-1\", \"name\": \"MALM bed [500:4]\"}]");
        tabUntil("start").sendKeys(Keys.ENTER);
        // its only item failed, so the job has failed
        awaitPage().until(() -> "failed".equals(jobStatus()) && rowsWith("failed").size() == 1);

        tabUntil("retry-failed").sendKeys(Keys.ENTER);
        awaitPage().until(() -> "completed".equals(jobStatus()) && rowsWith("ok").size() == 1);
        assertThat(tabUntil("download-csv").isEnabled()).isTrue();
        tabUntil("recent-job");
    }

    @Test
    void aCsvWithAMissingColumnIsExplainedAndStartsNothing() throws IOException {
        int before = jobsOnTheServer();
        fill("name,description\nMALM bed,Bed frame\n");
        byTestId("start").click();
        WebElement error = byTestId("input-error");
        awaitPage().until(error::isDisplayed);
        assertThat(error.getText()).contains("file: has no id column").contains("found [name, description]");
        assertThat(byId("job").isDisplayed()).isFalse();
        assertThat(jobsOnTheServer()).as("no job was submitted").isEqualTo(before);
        screenshot("3-missing-column");
    }

    @Test
    void whatTheServiceRefusesIsShownAsItsProblem() {
        fill("[{\"id\": \"sku-1\", \"name\": \"MALM bed\"}]");
        browser.findElement(By.cssSelector("input[name=taxonomy][value=named]")).click();
        byTestId("taxonomy-name").sendKeys("no-such-taxonomy");
        byTestId("start").click();
        WebElement error = byTestId("input-error");
        awaitPage().until(error::isDisplayed);
        assertThat(error.getText()).containsIgnoringCase("taxonomy");
    }

    @Test
    void aReopenedJobShowsEveryResultAgainFromItsEvents() {
        fill("[" + IntStream.range(0, 12).mapToObj(i -> "{\"id\": \"r-" + i + "\", \"name\": \"" + name(i) + "\"}")
                .collect(Collectors.joining(",")) + "]");
        byTestId("start").click();
        awaitPage().until(() -> "completed".equals(jobStatus()) && rows().size() == 12);
        String url = browser.getCurrentUrl();

        browser.get(page.toString());
        assertThat(byId("job").isDisplayed()).isFalse();
        awaitPage().until(() -> !recentJobs().isEmpty());
        recentJobs().getFirst().click();
        awaitPage().until(() -> rows().size() == 12 && "completed".equals(jobStatus()));
        assertThat(browser.getCurrentUrl()).isEqualTo(url);
    }

    @Test
    void whenTheEventStreamBreaksThePageReconnectsAndResumesAfterTheLastEvent() {
        fill("[" + IntStream.range(0, 10).mapToObj(i -> "{\"id\": \"g-" + i + "\", \"name\": \"" + name(i)
                + (i >= 6 ? " [gate:web-page]" : "") + "\"}").collect(Collectors.joining(",")) + "]");
        byTestId("start").click();
        awaitPage().until(() -> rows().size() == 6);

        // window.stop() aborts the page's connections, the EventSource's too: it closes for good, as after a 503
        ((JavascriptExecutor) browser).executeScript("window.stop();");
        fake.open("web-page");

        awaitPage().until(() -> rows().size() == 10 && "completed".equals(jobStatus()));
        @SuppressWarnings("unchecked")
        List<String> requests = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/events'));");
        assertThat(requests).as("a second connection, resuming after the sixth item").hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(url -> assertThat(url).containsPattern("last_event_id=\\d+"));
    }

    @Test
    void markupInAnItemIsShownAsTextUnderAStrictContentSecurityPolicy() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("X-Content-Type-Options", "nosniff");
        fill("[{\"id\": \"<b id=injected>bold</b>\", \"name\": \"MALM bed\"}]");
        byTestId("start").click();
        awaitPage().until(() -> "completed".equals(jobStatus()) && rows().size() == 1);
        assertThat(rows().getFirst().findElements(By.tagName("td")).get(1).getText()).isEqualTo("<b id=injected>bold</b>");
        assertThat(browser.findElements(By.id("injected"))).isEmpty();
    }

    @Test
    void onAPhoneThePageFitsTheScreenAndHoldsNoSecret() throws IOException {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(page.toString());
        fill("[{\"id\": \"p-1\", \"name\": \"MALM bed frame, high\"}]");
        byTestId("start").click();
        awaitPage().until(() -> "completed".equals(jobStatus()) && rows().size() == 1);
        long overflow = (Long) ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).as("no sideways scrolling of the page itself").isLessThanOrEqualTo(0);
        screenshot("4-phone");

        String everything = browser.getPageSource() + String.join("", Stream.of("app.js", "api.js", "events.js", "items.js", "app.css")
                .map(f -> (String) ((JavascriptExecutor) browser).executeAsyncScript(
                        "fetch(arguments[0]).then(r => r.text()).then(arguments[1]);", f)).toList());
        for (String key : FakeOpenAiResource.KEYS.split(",")) {
            assertThat(everything).doesNotContain(key.trim());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static String name(int i) {
        return List.of("MALM bed frame", "POÄNG armchair", "LACK coffee table", "BILLY bookcase", "HEMNES chest of drawers")
                .get(i % 5) + " " + i;
    }

    private static void fill(String text) {
        WebElement input = byTestId("items-input");
        // typed text would take seconds for 50 lines; setting the value is what a paste does
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", input, text);
    }

    private static String jobStatus() {
        List<WebElement> status = browser.findElements(By.cssSelector("[data-testid=job-status]"));
        return status.isEmpty() ? null : status.getFirst().getText();
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("[data-testid=result-row]"));
    }

    private static List<WebElement> rowsWith(String status) {
        return browser.findElements(By.cssSelector("[data-testid=result-row][data-status=" + status + "]"));
    }

    /** Presses Tab until the element with this test id has the focus, as a keyboard user would; fails if never. */
    private static WebElement tabUntil(String testId) {
        for (int presses = 0; presses < 40; presses++) {
            WebElement focused = browser.switchTo().activeElement();
            if (testId.equals(focused.getDomAttribute("data-testid"))) {
                return focused;
            }
            new Actions(browser).sendKeys(Keys.TAB).perform(); // to the page: a file input takes typed keys as a path
        }
        throw new AssertionError(testId + " cannot be reached with the Tab key");
    }

    private static List<WebElement> recentJobs() {
        return browser.findElements(By.cssSelector("[data-testid=recent-job]"));
    }

    private static int jobsOnTheServer() {
        return given().get("/api/v1/jobs?limit=1").then().statusCode(200).extract().path("total");
    }

    private static WebElement byTestId(String id) {
        return browser.findElement(By.cssSelector("[data-testid=" + id + "]"));
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static String text(String id) {
        return byId(id).getText();
    }

    private List<String> download() throws IOException {
        String id = browser.getCurrentUrl().replaceFirst(".*#job=", "");
        Path file = DOWNLOADS.resolve("job-" + id + ".csv");
        Files.deleteIfExists(file);
        byTestId("download-csv").click();
        awaitPage().until(() -> Files.exists(file) && Files.size(file) > 0);
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static void screenshot(String name) throws IOException {
        ((JavascriptExecutor) browser).executeScript("document.getElementById('job').scrollIntoView();");
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
