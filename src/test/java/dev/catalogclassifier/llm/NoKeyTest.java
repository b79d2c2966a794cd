package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.catalogclassifier.testsupport.LogCapture;
import dev.catalogclassifier.testsupport.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** Without a key the service still starts, stays healthy and tells callers what to configure. */
@QuarkusTest
@TestProfile(NoKeyTest.NoKey.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class NoKeyTest {

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // an empty value removes the key even when the developer's shell sets OPENAI_API_KEY
            // the blocked-thread checker warns of any event-loop task over 500 ms: a 1,000-item request takes seconds
            return Map.of("classifier.llm.api-keys", "", "classifier.llm.base-url", "http://127.0.0.1:9/v1",
                    "quarkus.vertx.max-event-loop-execute-time", "500ms");
        }
    }

    @TestHTTPResource("/api/v1/classifications")
    URI classifications;

    private static final String ONE_ITEM = "{\"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"}]}";

    @Test
    @Order(1) // before any request has touched the classification beans
    void theAutoscalingMetricIsPublishedBeforeTheFirstRequest() {
        given().accept("text/plain").get("/q/metrics").then().statusCode(200)
                .body(containsString("classifier_items_in_flight 0.0"))
                .body(containsString("classifier_items_total{mode=\"text\",outcome=\"ok\""));
    }

    @Test
    void theInProcessClassifierAnswersWithoutAKeyAtNoCost() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": [\"Beds\", \"Chairs\", \"Tables & desks\"], \"items\": ["
                        + "{\"id\": \"a\", \"name\": \"MALM\", \"description\": \"Bed frame, high, 160x200 cm\"},"
                        + "{\"id\": \"b\", \"name\": \"ADDE\", \"description\": \"Dining chair\"},"
                        + "{\"id\": \"c\", \"name\": \"LINNMON\", \"description\": \"Desk, 100x60 cm\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results.category", contains("Beds", "Chairs", "Tables & desks"))
                .body("results.model", everyItem(equalTo("local-minilm-l6-v2-q")))
                .body("summary.cost_usd", equalTo(0.0f))
                .body("summary.settled_locally", equalTo(3));
    }

    /** A job without a key is answered by the in-process classifier, and says so: not the LLM it never used. */
    @Test
    void aJobWithoutAKeyNamesTheModelThatAnswersIt() {
        String location = given().contentType(ContentType.JSON).body(ONE_ITEM).post("/api/v1/jobs")
                .then().statusCode(202).body("model", equalTo("local-minilm-l6-v2-q")).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        given().get("/api/v1/jobs/" + id).then().body("model", equalTo("local-minilm-l6-v2-q"))
                .body("cost_usd", equalTo(0.0f));
        given().get("/api/v1/jobs/" + id + "/results").then()
                .body("items.model", everyItem(equalTo("local-minilm-l6-v2-q")));
    }

    @Test
    void aThousandItemRequestStreamsWithoutBlockingTheEventLoop() {
        String items = IntStream.range(0, 1000).mapToObj(i -> "{\"id\": \"i" + i + "\", \"name\": \"S" + i
                + "\", \"description\": \"" + (i % 2 == 0 ? "Bed frame, 160x200 cm" : "Dining chair") + "\"}")
                .collect(Collectors.joining(","));
        try (LogCapture warnings = LogCapture.warnings();
                SseClient stream = SseClient.post(classifications, "{\"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [" + items + "]}")) {
            await().atMost(Duration.ofMinutes(2)).until(stream::ended);
            assertThat(stream.events("item")).hasSize(1000)
                    .allSatisfy(e -> assertThat(e.data().path("category").asText())
                            .isEqualTo(Integer.parseInt(e.data().path("id").asText().substring(1)) % 2 == 0 ? "Beds" : "Chairs"));
            assertThat(stream.events("summary").getFirst().data().path("settled_locally").asInt()).isEqualTo(1000);
            assertThat(warnings.messages()).noneMatch(m -> m.contains("blocked"));
        }
    }

    @Test
    void askingForTheLlmWithoutAKeyIsAClearProblem() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"classifier\": \"llm\", \"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", containsString("provider-not-configured"))
                .body("detail", containsString("OPENAI_API_KEY"));
        given().contentType(ContentType.JSON).accept("text/event-stream")
                .body("{\"classifier\": \"cascade\", \"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(503).contentType("application/problem+json").body(not(containsString("event:")));
    }

    @Test
    void badInputIsStillReportedAsBadInput() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body("{\"items\": []}")
                .when().post("/api/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theServiceStaysReadyAndLive() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
