package dev.catalogclassifier.cache;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.CacheOn;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.Metrics;
import dev.catalogclassifier.testsupport.PhotoServer;
import dev.catalogclassifier.testsupport.TestImages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;

/** An item answered before is answered from the store: no call, no cost, {@code cached: true}. */
@QuarkusTest
@TestProfile(CacheOn.class)
@WithTestResource(FakeOpenAiResource.class)
class CacheTest {

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @jakarta.inject.Inject
    CacheCleanup cleanup;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void theSecondRequestForTheSameItemCostsNothing() {
        String name = "HEMNES bed frame " + UUID.randomUUID();
        String body = "{\"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]}";
        classify(body).body("results[0].cached", equalTo(false));
        double cachedBefore = metric("classifier_items_total{mode=\"text\",outcome=\"cached\"");

        // the answer is stored in the background: wait until it is there, then ask once more
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> classify(body).body("results[0].cached", equalTo(true)));
        int calls = fake.calls().size();
        classify(body).body("results[0].cached", equalTo(true)).body("results[0].category", equalTo("Beds"))
                .body("results[0].usage.cost_usd", equalTo(0.0f)).body("summary.cost_usd", equalTo(0.0f))
                .body("summary.cached", equalTo(1));
        assertThat(fake.calls()).as("a cached answer calls nobody").hasSize(calls);
        assertThat(metric("classifier_items_total{mode=\"text\",outcome=\"cached\"")).isGreaterThan(cachedBefore);
    }

    /** A stored answer has no features to give back, so photo answers are never stored. */
    @Test
    void photoAnswersAreNotStored() throws Exception {
        try (PhotoServer photos = new PhotoServer()) {
            String url = photos.serve("/bed.jpg", TestImages.jpeg(TestImages.sharp(800, 600)), "image/jpeg");
            String photo = "{\"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [{\"id\": \"p\", \"name\": \"MALM bed\", \"image_url\": \"" + url + "\"}]}";
            String text = "{\"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [{\"id\": \"t\", \"name\": \"MALM bed " + UUID.randomUUID() + "\"}]}";
            classify(photo).body("results[0].cached", equalTo(false));
            classify(text);
            // the text answer, remembered after the photo's, is stored: so the photo's would be by now
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> classify(text).body("results[0].cached", equalTo(true)));
            int calls = fake.calls().size();
            classify(photo).body("results[0].cached", equalTo(false)).body("results[0].features[0].feature_name", equalTo("frame"));
            assertThat(fake.calls()).hasSize(calls + 1);
        }
    }

    @Test
    void aDifferentTaxonomyOrModelIsADifferentQuestion() {
        String name = "POÄNG armchair " + UUID.randomUUID();
        classify("{\"taxonomy\": [\"Beds\", \"Sofas & armchairs\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]}");
        // first make sure the answer is stored, so the misses below are about the question, not timing
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> classify(
                "{\"taxonomy\": [\"Beds\", \"Sofas & armchairs\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]}")
                .body("results[0].cached", equalTo(true)));
        int calls = fake.calls().size();
        classify("{\"taxonomy\": [\"Beds\", \"Sofas & armchairs\", \"Chairs\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]}")
                .body("results[0].cached", equalTo(false));
        classify("{\"model\": \"gpt-4o\", \"taxonomy\": [\"Beds\", \"Sofas & armchairs\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]}")
                .body("results[0].cached", equalTo(false));
        assertThat(fake.calls()).hasSize(calls + 2);
    }

    @Test
    void aRequestCanBypassTheCache() {
        String name = "LACK table " + UUID.randomUUID();
        String items = "\"taxonomy\": [\"Beds\", \"Tables & desks\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]";
        classify("{" + items + "}");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> classify("{" + items + "}").body("results[0].cached", equalTo(true)));
        int calls = fake.calls().size();
        classify("{\"cache\": false, " + items + "}").body("results[0].cached", equalTo(false));
        assertThat(fake.calls()).hasSize(calls + 1);
    }

    @Test
    void jobsUseTheCacheToo() {
        String name = "BILLY bookcase " + UUID.randomUUID();
        String items = "\"taxonomy\": [\"Beds\", \"Bookcases\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]";
        classify("{" + items + "}");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> classify("{" + items + "}").body("results[0].cached", equalTo(true)));
        int calls = fake.calls().size();

        String location = given().contentType(ContentType.JSON).body("{" + items + "}").post("/api/v1/jobs")
                .then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().get(location).then().extract().path("status")));
        given().get(location).then().body("counts.cached", equalTo(1)).body("counts.ok", equalTo(1))
                .body("cost_usd", equalTo(0.0f));
        assertThat(fake.calls()).hasSize(calls);
    }

    @Test
    void expiredAnswersAreForgotten() throws Throwable {
        String name = "KALLAX shelf " + UUID.randomUUID();
        String body = "{\"taxonomy\": [\"Beds\", \"Shelves\"], \"items\": [{\"id\": \"a\", \"name\": \"" + name + "\"}]}";
        classify(body);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> classify(body).body("results[0].cached", equalTo(true)));

        VertxContextSupport.subscribeAndAwait(() -> cleanup.removeOlderThan(java.time.Instant.now().plusSeconds(1)));

        classify(body).body("results[0].cached", equalTo(false));
    }

    private static io.restassured.response.ValidatableResponse classify(String body) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .post("/api/v1/classifications").then().statusCode(200);
    }

    private static double metric(String prefix) {
        return Math.max(0, Metrics.value(prefix));
    }
}
