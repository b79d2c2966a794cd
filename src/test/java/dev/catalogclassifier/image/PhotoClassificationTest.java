package dev.catalogclassifier.image;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.PhotoServer;
import dev.catalogclassifier.testsupport.TestImages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;

/**
 * Items classified from their photos, end to end: fetched from a local server, checked, scaled to 1,024 px and
 * sent as a JPEG data URL to the fake provider, which answers with features and prices the image tokens.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class PhotoClassificationTest {

    static final String TAXONOMY = "[\"Sofas & armchairs\", \"Beds\", \"Chairs\"]";

    static PhotoServer photos;
    static String sofa;
    static String blurred;

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeAll
    static void serve() throws IOException {
        photos = new PhotoServer();
        sofa = photos.serve("/sofa.jpg", TestImages.jpeg(TestImages.sharp(2000, 1500)), "image/jpeg");
        blurred = photos.serve("/blurred.png", TestImages.png(TestImages.blurred(800, 600)), "image/png");
    }

    @AfterAll
    static void stop() {
        photos.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aPhotoIsScaledDownSentAsJpegAndAnsweredWithFeaturesAndItsTokensPriced() {
        given().config(RestAssuredConfig.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.DOUBLE)))
                .contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": " + TAXONOMY + ", \"items\": [{\"id\": \"p\", \"name\": \"EKTORP sofa\", \"image_url\": \"" + sofa + "\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].status", equalTo("ok"))
                .body("results[0].category", equalTo("Sofas & armchairs"))
                .body("results[0].processing_type", equalTo("image_multithreaded"))
                .body("results[0].features[0].feature_name", equalTo("frame"))
                .body("results[0].features[0].condition", equalTo("good"))
                .body("results[0].features[0].quality_rating", equalTo(7))
                .body("results[0].summary", equalTo("A product photo."))
                // 100 text tokens + 765 for a 1024x768 photo (4 tiles), at gpt-4o-mini's $0.15 / $0.60 per 1M
                .body("results[0].usage.prompt_tokens", equalTo(865))
                .body("results[0].usage.cost_usd", closeTo(865 * 0.15e-6 + 20 * 0.60e-6, 1e-9));
        FakeOpenAi.Photo sent = fake.calls().getFirst().photo();
        assertThat(sent.mimeType()).isEqualTo("image/jpeg");
        assertThat(sent.detail()).isEqualTo("high");
        assertThat(sent.width()).isEqualTo(1024);
        assertThat(sent.height()).isEqualTo(768);
        assertThat(fake.calls().getFirst().item()).contains("EKTORP sofa"); // the text goes along as context
    }

    @Test
    void lowDetailSendsAtMost512PixelsAndCostsFewerImageTokens() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"image_detail\": \"low\", \"taxonomy\": " + TAXONOMY
                        + ", \"items\": [{\"id\": \"p\", \"name\": \"EKTORP sofa\", \"image_url\": \"" + sofa + "\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].status", equalTo("ok"))
                .body("results[0].usage.prompt_tokens", equalTo(100 + 85)); // low detail: 85 tokens a photo
        FakeOpenAi.Photo sent = fake.calls().getFirst().photo();
        assertThat(Math.max(sent.width(), sent.height())).isEqualTo(512);
        assertThat(sent.detail()).isEqualTo("low");
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"image_detail\": \"tiny\", \"items\": [{\"id\": \"p\", \"name\": \"x\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(400).body("errors[0].field", equalTo("image_detail"));
    }

    @Test
    void aPhotoThatFailsACheckIsRejectedWithoutATokenAndSpoilsNothingElse() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": " + TAXONOMY + ", \"items\": ["
                        + "{\"id\": \"blurred\", \"name\": \"MALM bed\", \"image_url\": \"" + blurred + "\"},"
                        + "{\"id\": \"internal\", \"image_url\": \"http://10.1.2.3/bed.jpg\"},"
                        + "{\"id\": \"fine\", \"name\": \"MALM bed\", \"image_url\": \"" + sofa + "\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results.status", contains("rejected", "rejected", "ok"))
                .body("results[0].error.code", equalTo("blurred"))
                .body("results[0].error.threshold", equalTo(100.0f))
                .body("results[0].usage.cost_usd", equalTo(0.0f))
                .body("results[1].error.code", equalTo("forbidden_address"))
                .body("results[1].error.value", nullValue())
                .body("summary.rejected", equalTo(2));
        assertThat(fake.calls()).hasSize(1);
    }

    @Test
    void theEarlierFurnitureApisImageModeIsServed() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"toggle\": 0, \"taxonomy\": " + TAXONOMY + ", \"data\": [{\"id\": \"photo\", \"Product_URL\": \"" + sofa + "\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].status", equalTo("ok"))
                .body("results[0].processing_type", equalTo("image_multithreaded"));
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"mode\": \"image\", \"items\": [{\"id\": \"text-only\", \"name\": \"MALM bed\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].error.code", equalTo("image_missing"));
    }

    @Test
    void aJobKeepsThePhotosFeaturesAndTheChecksFindings() {
        String location = given().contentType(ContentType.JSON)
                .body("{\"classifier\": \"llm\", \"taxonomy\": " + TAXONOMY + ", \"items\": ["
                        + "{\"id\": \"a\", \"name\": \"EKTORP sofa\", \"image_url\": \"" + sofa + "\"},"
                        + "{\"id\": \"b\", \"name\": \"MALM bed\", \"image_url\": \"" + blurred + "\"}]}")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(given().get(location).path("status")));
        given().get(location + "/results").then().statusCode(200)
                .body("items.status", contains("ok", "rejected"))
                .body("items[0].features[0].quality_rating", equalTo(7))
                .body("items[0].summary", equalTo("A product photo."))
                .body("items[1].error.code", equalTo("blurred"))
                .body("items[1].error.threshold", equalTo(100.0f));
    }
}
