package dev.catalogclassifier.batchapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Jobs with {@code execution: batch-api} against the fake's Files and Batches endpoints. Test limits: 25 requests
 * or 200,000 bytes per file; the runner looks every 100 ms. Every fake answer is 100 prompt and 20 completion
 * tokens of gpt-4o-mini: $0.000027 in realtime, half of that in a batch.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class BatchApiTest {

    private static final double PER_CALL = FakeOpenAi.CALL_COST_USD;

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aJobGoesThroughFilesAndBatchesSplitAtTheFileLimitAndIsPricedAtHalf() {
        String id = submit(30, i -> i == 4 ? "ADDE chair [garbage]" : "MALM bed " + i, Map.of());
        JsonPath job = awaitStatus(id, "completed");

        assertThat(fake.batchApi().uploads()).as("30 requests at 25 per file").isEqualTo(2);
        assertThat(fake.batchApi().batchesCreated()).isEqualTo(2);
        List<JsonNode> lines = fake.batchApi().uploadedLines();
        assertThat(lines).extracting(l -> l.path("custom_id").asText())
                .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> id + "/" + i).toList());
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.path("url").asText()).isEqualTo("/v1/chat/completions");
            assertThat(l.path("body").path("model").asText()).isEqualTo("gpt-4o-mini");
            JsonNode format = l.path("body").path("response_format");
            assertThat(format.path("type").asText()).isEqualTo("json_schema");
            assertThat(format.path("json_schema").path("strict").asBoolean()).as(format.toString()).isTrue();
            // the realtime path's schema, its enum the job's categories: a batch answer cannot be off the list
            assertThat(format.path("json_schema").path("schema").path("properties").path("category").path("enum"))
                    .as(format.toString()).extracting(JsonNode::asText).containsExactly("Beds", "Chairs");
        });

        assertThat(job.getInt("counts.ok")).isEqualTo(29);
        assertThat(job.getInt("counts.failed")).isEqualTo(1);
        assertThat(job.getString("execution")).isEqualTo("batch-api");
        double cost = job.getDouble("cost_usd");
        assertThat(cost).as("every answer billed, at half price").isCloseTo(30 * PER_CALL / 2, Offset.offset(1e-9));
        assertThat(job.getDouble("cost_report.batch_api_usd")).isCloseTo(cost, Offset.offset(1e-9));
        assertThat(job.getDouble("cost_report.realtime_usd")).isCloseTo(2 * cost, Offset.offset(1e-9));
        given().get("/api/v1/jobs/" + id + "/results?offset=4&limit=1").then()
                .body("items[0].error.code", equalTo("invalid_answer"));
        given().get("/api/v1/jobs/" + id + "/results?status=ok&limit=100").then()
                .body("items.category", everyItem(equalTo("Beds")));
    }

    @Test
    void longItemsAreSplitAtTheFileSizeLimit() {
        String description = "Bed frame with storage. ".repeat(400); // about 9.6 kB per request line
        String id = submit(20, i -> "MALM bed " + i, Map.of("description", description));
        awaitStatus(id, "completed");
        assertThat(fake.batchApi().batchesCreated()).as("20 lines of ~10 kB at 200 kB per file").isGreaterThanOrEqualTo(2);
        assertThat(fake.batchApi().uploadedLines()).hasSize(20);
        given().get("/api/v1/jobs/" + id).then().body("counts.ok", equalTo(20));
    }

    @Test
    void cancellingAJobCancelsItsBatchesAtTheProvider() {
        fake.batchApi().hold();
        String id = submit(10, i -> "MALM bed " + i, Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.batchApi().batchStatuses().contains("in_progress"));

        given().delete("/api/v1/jobs/" + id).then().statusCode(200).body("status", equalTo("cancelled"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.batchApi().batchStatuses().equals(List.of("cancelled")));
        given().get("/api/v1/jobs/" + id).then().body("counts.cancelled", equalTo(10));
    }

    @Test
    void anExpiredBatchFailsOnlyTheItemsItDidNotAnswerAndARetryRunsThemInRealtime() {
        fake.batchApi().endAs("expired");
        String id = submit(10, i -> "MALM bed " + i, Map.of());
        JsonPath job = awaitStatus(id, "completed");
        assertThat(job.getInt("counts.ok")).isEqualTo(5);
        given().get("/api/v1/jobs/" + id + "/results?status=failed").then()
                .body("items.error.code", everyItem(equalTo("batch_expired")));

        given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(200);
        awaitStatus(id, "completed");
        given().get("/api/v1/jobs/" + id).then().body("counts.ok", equalTo(10));
        assertThat(fake.batchApi().batchesCreated()).as("the retry does not make another batch").isEqualTo(1);
    }

    @Test
    void batchApiTakesTextForTheLlmOnly() {
        given().contentType(ContentType.JSON)
                .body(Map.of("execution", "batch-api", "classifier", "local", "items", items(1, i -> "MALM bed", Map.of())))
                .post("/api/v1/jobs").then().statusCode(400).body("errors.field", hasItem("classifier"));
        given().contentType(ContentType.JSON)
                .body(Map.of("execution", "batch-api", "items", items(1, i -> "MALM bed", Map.of("image_url", "https://example.com/a.jpg"))))
                .post("/api/v1/jobs").then().statusCode(400).body("errors.field", hasItem("mode"));
        given().contentType(ContentType.JSON).body(Map.of("execution", "overnight", "items", items(1, i -> "MALM bed", Map.of())))
                .post("/api/v1/jobs").then().statusCode(400).body("errors.field", hasItem("execution"));
        assertThat(fake.batchApi().uploads()).isZero();
    }

    @Test
    void aJobWhoseBudgetCoversNoItemEndsWithEveryItemOverBudgetAndSendsNothing() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("execution", "batch-api", "classifier", "llm", "taxonomy", List.of("Beds", "Chairs"),
                        "budget_usd", PER_CALL / 100, "items", items(5, i -> "MALM bed " + i, Map.of())))
                .post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        JsonPath job = awaitStatus(id, "completed");
        assertThat(job.getString("stop_reason")).as(job.prettify()).isEqualTo("budget_exceeded");
        assertThat(job.getInt("counts.cancelled")).isEqualTo(5);
        assertThat(fake.batchApi().uploads()).as("nothing sent").isZero();
        given().get("/api/v1/jobs/" + id + "/results").then()
                .body("items.error.code", everyItem(equalTo("budget_exceeded")));
    }

    private static String submit(int n, IntFunction<String> name, Map<String, String> extra) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("execution", "batch-api", "classifier", "llm", "taxonomy", List.of("Beds", "Chairs"),
                        "items", items(n, name, extra)))
                .post("/api/v1/jobs").then().statusCode(202).extract().path("id");
    }

    private static List<Map<String, String>> items(int n, IntFunction<String> name, Map<String, String> extra) {
        return IntStream.range(0, n).mapToObj(i -> {
            Map<String, String> item = new HashMap<>(extra);
            item.put("id", "sku-" + i);
            item.put("name", name.apply(i));
            return item;
        }).collect(Collectors.toList());
    }

    private static JsonPath awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(given().get("/api/v1/jobs/" + id).path("status")));
        return given().get("/api/v1/jobs/" + id).then().extract().jsonPath();
    }
}
