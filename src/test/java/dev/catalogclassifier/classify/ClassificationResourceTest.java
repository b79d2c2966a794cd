package dev.catalogclassifier.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;

@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class ClassificationResourceTest {

    static final String TAXONOMY = "[\"Sofas & armchairs\", \"Beds\", \"Chairs\", \"Tables & desks\"]";

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @TestHTTPResource("/api/v1/classifications")
    URI classifications;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void jsonAnswersEveryItemInRequestOrderWithASummary() {
        String body = """
                {"taxonomy": %s, "items": [
                  {"id": "slow-bed", "name": "MALM bed frame [slow:400]"},
                  {"id": "chair", "name": "NISSE folding chair", "description": "Folding chair"},
                  {"id": "desk", "name": "LINNMON desk", "attributes": {"material": "birch"}}
                ]}""".formatted(TAXONOMY);

        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results.id", contains("slow-bed", "chair", "desk"))
                .body("results.index", contains(0, 1, 2))
                .body("results.status", everyItem(equalTo("ok")))
                .body("results.category", contains("Beds", "Chairs", "Tables & desks"))
                .body("results.model", everyItem(equalTo("gpt-4o-mini")))
                .body("results.attempts", everyItem(equalTo(1)))
                .body("results.processing_type", everyItem(equalTo("text_multithreaded")))
                .body("summary.total", equalTo(3))
                .body("summary.succeeded", equalTo(3))
                .body("summary.failed", equalTo(0))
                .body("summary.prompt_tokens", equalTo(300))
                .body("summary.completion_tokens", equalTo(60));
    }

    @Test
    void requestsWithoutTaxonomyUseTheConfiguredFurnitureTaxonomy() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"items\": [{\"id\": \"w\", \"name\": \"PAX wardrobe\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].category", equalTo("Wardrobes"));
        assertThat(fake.calls().getFirst().item()).contains("PAX wardrobe");
    }

    @Test
    void sseSendsEachItemAsSoonAsItIsDoneThenProgressThenOneSummary() {
        String body = """
                {"taxonomy": %s, "items": [
                  {"id": "quick", "name": "POÄNG armchair"},
                  {"id": "held-1", "name": "HEMNES bed [gate:stream]"},
                  {"id": "held-2", "name": "LACK table [gate:stream]"}
                ]}""".formatted(TAXONOMY);
        try (SseClient sse = SseClient.post(classifications, body)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !sse.events("item").isEmpty());
            // the quick item has arrived while the other two are still held at the provider
            assertThat(sse.events("item")).singleElement()
                    .satisfies(e -> assertThat(e.data().get("id").asText()).isEqualTo("quick"));
            assertThat(sse.events("summary")).isEmpty();
            assertThat(fake.inProgress()).isEqualTo(2);

            fake.open("stream");
            await().atMost(Duration.ofSeconds(60)).until(sse::ended);

            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.foreignLines()).as("every line an SSE field").isEmpty();
            assertThat(sse.events("item")).extracting(e -> e.data().get("id").asText())
                    .containsExactlyInAnyOrder("quick", "held-1", "held-2");
            assertThat(sse.events("progress")).extracting(e -> e.data().get("done").asInt()).containsExactly(1, 2, 3);
            assertThat(sse.events("progress").getLast().data().get("total").asInt()).isEqualTo(3);
            assertThat(sse.events().getLast().name()).isEqualTo("summary");
            assertThat(sse.events("summary")).singleElement()
                    .satisfies(e -> assertThat(e.data().get("succeeded").asInt()).isEqualTo(3));
        }
    }

    @Test
    void sseDeliversEveryIdExactlyOnce() {
        List<String> ids = IntStream.range(0, 40).mapToObj(i -> "sku-" + i).toList();
        String items = String.join(",", ids.stream()
                .map(id -> "{\"id\": \"" + id + "\", \"name\": \"STEFAN chair " + id + " [slow:" + (id.length() * 7) + "]\"}")
                .toList());
        try (SseClient sse = SseClient.post(classifications, "{\"items\": [" + items + "]}")) {
            await().atMost(Duration.ofSeconds(60)).until(sse::ended);
            assertThat(sse.events("item")).extracting(e -> e.data().get("id").asText())
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(sse.events("summary")).hasSize(1);
        }
    }

    @Test
    void earlierFurnitureApiClientsKeepWorking() {
        String legacy = """
                {"toggle": 1, "data": [
                  {"id": "1", "name": "EKTORP sofa", "Product_URL": "https://example.com/ektorp.jpg"}
                ]}""";
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(legacy)
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].status", equalTo("ok"))
                .body("results[0].category", equalTo("Sofas & armchairs"));
    }

    @Test
    void theRequestedModelIsTheOneCalledAndReported() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"model\": \"gpt-4o\", \"items\": [{\"id\": \"a\", \"name\": \"KIVIK sofa\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].model", equalTo("gpt-4o"))
                .body("results[0].usage.cost_usd", greaterThan(0f));
        assertThat(fake.calls()).extracting(FakeOpenAi.Call::model).containsExactly("gpt-4o");
    }

    @Test
    void cachedPromptTokensArePricedAtTheCachedRate() {
        // gpt-4o-mini: 600 uncached x 0.15 + 400 cached x 0.075 + 50 out x 0.60 = 150 USD per 1M calls
        fake.usage(1000, 400, 50);
        given().config(RestAssuredConfig.config().jsonConfig(JsonConfig.jsonConfig().numberReturnType(NumberReturnType.DOUBLE)))
                .contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"items\": [{\"id\": \"a\", \"name\": \"KIVIK sofa\"}, {\"id\": \"b\", \"name\": \"MALM bed\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].usage.prompt_tokens", equalTo(1000))
                .body("results[0].usage.cached_tokens", equalTo(400))
                .body("results[0].usage.completion_tokens", equalTo(50))
                .body("results[0].usage.cost_usd", closeTo(0.000150, 1e-12))
                .body("summary.prompt_tokens", equalTo(2000))
                .body("summary.cost_usd", closeTo(0.000300, 1e-12));
    }

    @Test
    void aCascadeSettlesClearItemsLocallyAndAsksTheModelAboutTheRest() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"classifier\": \"cascade\", \"taxonomy\": [\"Beds\", \"Chairs\", \"Tables & desks\"], \"items\": ["
                        + "{\"id\": \"clear\", \"name\": \"MALM\", \"description\": \"Bed frame, high, 160x200 cm\"},"
                        + "{\"id\": \"vague\", \"name\": \"Item 42\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results[0].model", equalTo("local-minilm-l6-v2-q"))
                .body("results[0].category", equalTo("Beds"))
                .body("results[0].usage.cost_usd", equalTo(0.0f))
                .body("results[1].model", equalTo("gpt-4o-mini"))
                .body("summary.settled_locally", equalTo(1));
        assertThat(fake.calls()).extracting(FakeOpenAi.Call::item).containsExactly("Name: Item 42");
    }

    @Test
    void callsAreSpreadOverTheConfiguredKeys() {
        String items = String.join(",", IntStream.range(0, 10)
                .mapToObj(i -> "{\"id\": \"k" + i + "\", \"name\": \"ADDE chair " + i + "\"}").toList());
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body("{\"items\": [" + items + "]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200).body("results", hasSize(10));
        assertThat(fake.calls()).extracting(FakeOpenAi.Call::authorization)
                .containsOnly("Bearer test-key-alpha", "Bearer test-key-bravo")
                .contains("Bearer test-key-alpha", "Bearer test-key-bravo");
    }
}
