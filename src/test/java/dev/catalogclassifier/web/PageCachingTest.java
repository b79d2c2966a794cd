package dev.catalogclassifier.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** After a deploy, a browser asks again for the page and its scripts instead of keeping yesterday's for a day. */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class PageCachingTest {

    @ParameterizedTest
    @ValueSource(strings = { "/", "/index.html", "/app.js", "/api.js", "/events.js", "/items.js", "/app.css" })
    void thePageAndItsFilesAreRevalidatedOnEveryLoad(String path) {
        given().get(path).then().statusCode(200).header("Cache-Control", equalTo("no-cache"));
    }
}
