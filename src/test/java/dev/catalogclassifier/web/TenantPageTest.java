package dev.catalogclassifier.web;

import static dev.catalogclassifier.testsupport.Chromium.awaitPage;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.catalogclassifier.testsupport.Chromium;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.TenantCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The page where the service requires callers to name themselves, in a real headless Chromium: it asks for a key,
 * keeps it in the tab, follows a job's events with it in a header (never in a URL), and shows each tenant only its
 * own jobs, while the admin sees everyone's.
 */
@QuarkusTest
@TestProfile(TenantCallers.Profile.class)
@WithTestResource(FakeOpenAiResource.class)
@EnabledIf(value = Chromium.ENABLED, disabledReason = Chromium.MISSING)
class TenantPageTest {


    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL page;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start(Path.of("target", "downloads"));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void freshTab() {
        browser.get(page.toString());
        script("sessionStorage.clear();");
        browser.get(page.toString());
    }

    @Test
    void withoutAKeyThePageAsksForOneAndSaysWhenAKeyIsRefused() throws IOException {
        awaitPage().until(() -> byTestId("key-form").isDisplayed());
        assertThat(byTestId("key-message").getText()).contains("needs your API key");
        assertThat(byTestId("recent-jobs").findElements(By.tagName("li"))).isEmpty();

        useKey("ck-not-a-key-at-all");
        awaitPage().until(() -> byTestId("key-form").isDisplayed()
                && byTestId("key-message").getText().contains("did not accept"));
        assertThat(script("return sessionStorage.length;")).as("a refused key is not kept").isEqualTo(0L);
        assertThat(byTestId("signed-in").isDisplayed()).isFalse();
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(WebPageTest.SCREENSHOTS);
        Files.copy(shot, WebPageTest.SCREENSHOTS.resolve("5-key-refused.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void eachTenantSeesOnlyItsOwnJobsOnThePageAndTheAdminSeesBoth() throws Exception {
        String jobB = submit(given().auth().oauth2(TenantCallers.token("b")), "b-1");

        useKey(TenantCallers.KEY_A);
        awaitPage().until(() -> byTestId("signed-in").isDisplayed());
        fill("[{\"id\": \"a-1\", \"name\": \"MALM bed\"}, {\"id\": \"a-2\", \"name\": \"ADDE chair\"}]");
        byTestId("start").click();
        awaitPage().until(() -> "completed".equals(jobStatus()) && rows().size() == 2);
        String jobA = browser.getCurrentUrl().replaceFirst(".*#job=", "");
        awaitPage().until(() -> recentJobIds().contains(jobA));
        assertThat(recentJobIds()).doesNotContain(jobB);

        browser.get(page + "#job=" + jobB);
        awaitPage().until(() -> byTestId("job-error").isDisplayed());
        assertThat(byTestId("job-error").getText()).contains("No job with id " + jobB);
        assertThat(rows()).isEmpty();
        assertThat(byTestId("key-form").isDisplayed()).as("the key was kept across the reload").isFalse();
        assertTheKeyStayedInHeaders(TenantCallers.KEY_A);

        byTestId("forget-key").click();
        awaitPage().until(() -> byTestId("key-form").isDisplayed());
        assertThat(recentJobIds()).isEmpty();
        useKey(TenantCallers.token("b"));
        awaitPage().until(() -> recentJobIds().contains(jobB));
        assertThat(recentJobIds()).doesNotContain(jobA);
        browser.get(page + "#job=" + jobA);
        awaitPage().until(() -> byTestId("job-error").isDisplayed());
        assertThat(byTestId("job-error").getText()).contains("No job with id " + jobA);

        byTestId("forget-key").click();
        useKey(TenantCallers.KEY_OPS);
        awaitPage().until(() -> recentJobIds().containsAll(List.of(jobA, jobB)));
        browser.get(page + "#job=" + jobB);
        awaitPage().until(() -> "completed".equals(jobStatus()) && rows().size() == 1);
    }

    @Test
    void thePageOffersEachTenantOnlyItsOwnTaxonomiesAndAnothersNameIsRefused() throws Exception {
        given().header("X-API-Key", TenantCallers.KEY_A).contentType(ContentType.JSON)
                .body("{\"categories\": [\"Beds\", \"Sofas\"]}").put("/api/v1/taxonomies/page-rooms-a")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));

        useKey(TenantCallers.token("b"));
        browser.findElement(By.cssSelector("input[name=taxonomy][value=named]")).click();
        byTestId("taxonomy-name").sendKeys("page-rooms-a");
        fill("[{\"id\": \"b-9\", \"name\": \"MALM bed\"}]");
        byTestId("start").click();
        awaitPage().until(() -> byTestId("input-error").isDisplayed());
        assertThat(byTestId("input-error").getText()).contains("page-rooms-a");
        assertThat(taxonomyNames()).doesNotContain("page-rooms-a");

        byTestId("forget-key").click();
        useKey(TenantCallers.KEY_A);
        awaitPage().until(() -> taxonomyNames().contains("page-rooms-a"));
    }

    private static List<String> taxonomyNames() {
        return attributes("[data-testid=taxonomy-names] option", "value");
    }

    /** The key went out in a header: no request the page made has it in its address, and no storage but the tab's. */
    private static void assertTheKeyStayedInHeaders(String key) {
        @SuppressWarnings("unchecked")
        List<String> requests = (List<String>) script("return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(requests).as("the page's requests").isNotEmpty().noneSatisfy(url -> assertThat(url).contains(key));
        assertThat(script("return localStorage.length;")).isEqualTo(0L);
        assertThat(script("return Object.values(sessionStorage);")).asList().containsExactly(key);
        assertThat(browser.getPageSource()).doesNotContain(key);
    }

    private static String submit(RequestSpecification caller, String id) {
        String location = caller.contentType(ContentType.JSON).body("{\"items\": [{\"id\": \"" + id + "\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static void useKey(String key) {
        awaitPage().until(() -> byTestId("key-form").isDisplayed());
        byTestId("api-key").sendKeys(key);
        byTestId("use-key").click();
    }

    private static void fill(String text) {
        script("arguments[0].value = arguments[1];", byTestId("items-input"), text);
    }

    private static List<String> recentJobIds() {
        return attributes("[data-testid=recent-job]", "href").stream().map(href -> href.replaceFirst(".*#job=", "")).toList();
    }

    /** An attribute of every element matching {@code css}, read in one script: the list cannot change halfway. */
    @SuppressWarnings("unchecked")
    private static List<String> attributes(String css, String attribute) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0]), e => e.getAttribute(arguments[1]));",
                css, attribute);
    }

    private static String jobStatus() {
        List<WebElement> status = browser.findElements(By.cssSelector("[data-testid=job-status]"));
        return status.isEmpty() || !status.getFirst().isDisplayed() ? null : status.getFirst().getText();
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("[data-testid=result-row]"));
    }

    private static WebElement byTestId(String id) {
        return browser.findElement(By.cssSelector("[data-testid=" + id + "]"));
    }

    private static Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(code, arguments);
    }
}
