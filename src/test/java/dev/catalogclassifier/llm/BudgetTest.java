package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * {@code budget_usd} on requests and jobs, and a job's cost report. Every fake answer costs $0.000027
 * (100 prompt and 20 completion tokens of gpt-4o-mini).
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class BudgetTest {

    private static final double PER_CALL = FakeOpenAi.CALL_COST_USD;

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aRequestStopsSendingItemsBeforeItsBudgetWouldBePassed() {
        JsonPath body = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("budget_usd", 0.0003, "taxonomy", List.of("Beds", "Chairs"), "items", items(20)))
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();

        int ok = body.getInt("summary.succeeded");
        int stopped = body.getInt("summary.budget_exceeded");
        assertThat(ok).as("some items fit the budget").isPositive();
        assertThat(stopped).as("and some do not").isPositive();
        assertThat(ok + stopped).isEqualTo(20);
        assertThat(body.getDouble("summary.cost_usd")).isLessThanOrEqualTo(0.0003);
        List<Map<String, Object>> cancelled = body.getList("results.findAll { it.status == 'cancelled' }");
        assertThat(cancelled).hasSize(stopped).allSatisfy(r -> {
            assertThat(r).extractingByKey("error").extracting("code").isEqualTo("budget_exceeded");
            assertThat(r).extractingByKey("attempts").isEqualTo(0);
        });
        assertThat(fake.calls()).as("no call for an item the budget stopped").hasSize(ok);
    }

    @Test
    void aJobStopsAtItsBudgetSaysSoAndReportsItsCostAgainstTheBatchApi() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("budget_usd", 0.0005, "taxonomy", List.of("Beds", "Chairs"), "items", items(40)))
                .post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(given().get("/api/v1/jobs/" + id).path("status")));

        JsonPath job = given().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getString("stop_reason")).isEqualTo("budget_exceeded");
        int ok = job.getInt("counts.ok");
        int cancelled = job.getInt("counts.cancelled");
        assertThat(ok).isPositive();
        assertThat(cancelled).isPositive();
        assertThat(ok + cancelled).isEqualTo(40);
        double cost = job.getDouble("cost_usd");
        assertThat(cost).isLessThanOrEqualTo(0.0005).isCloseTo(ok * PER_CALL, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(job.getDouble("cost_report.cost_per_item_usd")).isCloseTo(PER_CALL, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(job.getDouble("cost_report.realtime_usd")).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(job.getDouble("cost_report.batch_api_usd")).isCloseTo(cost / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(job.getLong("cost_report.prompt_tokens")).isEqualTo(100L * ok);

        given().get("/api/v1/jobs/" + id + "/results?status=cancelled&limit=100").then()
                .body("items.error.code", everyItem(equalTo("budget_exceeded")))
                .body("items.attempts", everyItem(equalTo(0)));
    }

    @Test
    void aBudgetThatIsNotAPositiveAmountIsA400NamingIt() {
        given().contentType(ContentType.JSON).body(Map.of("budget_usd", -1, "items", items(1)))
                .post("/api/v1/classifications").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("budget_usd"));
        assertThat(fake.calls()).isEmpty();
    }

    private static List<Map<String, String>> items(int n) {
        return IntStream.range(0, n).mapToObj(i -> Map.of("id", "i" + i, "name", "MALM bed " + i))
                .collect(Collectors.toList());
    }
}
