package dev.catalogclassifier.web;

import static dev.catalogclassifier.testsupport.Chromium.awaitPage;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.catalogclassifier.llm.NoKeyTest;
import dev.catalogclassifier.testsupport.Chromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The page of a service without a provider key, in Chromium: it offers only what the service can serve. The LLM
 * (and the cascade, which hands the unsure items to it) would answer 503, so they are not in the list.
 */
@QuarkusTest
@TestProfile(NoKeyTest.NoKey.class)
@EnabledIf(value = Chromium.ENABLED, disabledReason = Chromium.MISSING)
class NoKeyPageTest {

    private static ChromeDriver browser;

    @TestHTTPResource("/")
    URL page;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start(Path.of("target", "downloads").toAbsolutePath());
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void withoutAKeyTheLlmIsNotOffered() {
        given().get("/api/v1/providers").then().statusCode(200).body("providers", empty());
        browser.get(page.toString());
        By options = By.cssSelector("[data-testid=classifier] option");
        awaitPage().until(() -> browser.findElements(By.cssSelector("[data-testid=classifier] option[value=llm]")).isEmpty());
        List<String> offered = browser.findElements(options).stream().map(o -> o.getDomAttribute("value")).toList();
        assertThat(offered).as("the classifiers offered").containsExactly("", "local");
        WebElement classifier = browser.findElement(By.cssSelector("[data-testid=classifier]"));
        assertThat(classifier.isEnabled()).isTrue();
    }
}
