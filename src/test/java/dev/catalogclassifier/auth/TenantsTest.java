package dev.catalogclassifier.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.SseClient;
import dev.catalogclassifier.testsupport.TenantCallers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * What tenants get of the service besides isolated jobs ({@link AuthTest}): their own taxonomies and cache, their
 * budget, their share of model calls and ceiling, and metrics an admin reads, tagged by tenant.
 */
@QuarkusTest
@TestProfile(TenantCallers.Profile.class)
@WithTestResource(FakeOpenAiResource.class)
class TenantsTest {

    private static final String TAXONOMY = "\"taxonomy\": [\"Beds\", \"Chairs\"]";

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @TestHTTPResource("/api/v1/classifications")
    URI classifications;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private static RequestSpecification a() {
        return given().header("X-API-Key", TenantCallers.KEY_A);
    }

    private static RequestSpecification b() throws Exception {
        return given().auth().oauth2(TenantCallers.token("b"));
    }

    private static RequestSpecification ops() {
        return given().header("X-API-Key", TenantCallers.KEY_OPS);
    }

    @Test
    void aTenantsTaxonomiesAreItsOwnAndAnotherTenantsAreA404() throws Exception {
        a().contentType(ContentType.JSON).body("{\"categories\": [\"Beds\", \"Sofas\"]}")
                .put("/api/v1/taxonomies/rooms-a").then().statusCode(201);
        b().contentType(ContentType.JSON).body("{\"categories\": [\"Lamps\", \"Rugs\"]}")
                .put("/api/v1/taxonomies/rooms").then().statusCode(201);
        a().contentType(ContentType.JSON).body("{\"categories\": [\"Desks\", \"Shelves\"]}")
                .put("/api/v1/taxonomies/rooms").then().statusCode(201); // a name b has: a's own, not a replacement

        b().get("/api/v1/taxonomies/rooms-a").then().statusCode(404).contentType("application/problem+json");
        b().delete("/api/v1/taxonomies/rooms-a").then().statusCode(404).contentType("application/problem+json");
        b().contentType(ContentType.JSON).body("{" + "\"taxonomy\": \"rooms-a\", \"items\": [{\"id\": \"1\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/classifications").then().statusCode(400).body(containsString("rooms-a"));
        b().contentType(ContentType.JSON).body("{\"taxonomy\": \"rooms-a\", \"items\": [{\"id\": \"1\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/jobs").then().statusCode(400);
        b().get("/api/v1/taxonomies").then().statusCode(200).body("taxonomies.name", not(hasItem("rooms-a")));
        b().get("/api/v1/taxonomies/rooms").then().statusCode(200).body("categories", equalTo(List.of("Lamps", "Rugs")));
        a().get("/api/v1/taxonomies/rooms").then().statusCode(200).body("categories", equalTo(List.of("Desks", "Shelves")));
        a().get("/api/v1/taxonomies/rooms-a").then().statusCode(200);

        JsonPath all = ops().get("/api/v1/taxonomies").then().statusCode(200).extract().jsonPath();
        assertThat(all.getList("taxonomies.findAll { it.name == 'rooms' }.tenant")).as(all.prettify()).contains("a", "b");
        ops().get("/api/v1/taxonomies/rooms?tenant=b").then().statusCode(200).body("categories", equalTo(List.of("Lamps", "Rugs")));

        b().delete("/api/v1/taxonomies/rooms").then().statusCode(204);
        a().get("/api/v1/taxonomies/rooms").then().statusCode(200).body("categories", equalTo(List.of("Desks", "Shelves")));
    }

    @Test
    void aTenantNeverGetsAnAnswerAnotherTenantPaidFor() throws Exception {
        String item = "{\"items\": [{\"id\": \"1\", \"name\": \"cache-probe HEMNES bed\"}], " + TAXONOMY + "}";
        a().contentType(ContentType.JSON).body(item).post("/api/v1/classifications").then().statusCode(200)
                .body("results[0].cached", equalTo(false));
        await().atMost(Duration.ofSeconds(30)).until(() -> a().contentType(ContentType.JSON).body(item)
                .post("/api/v1/classifications").then().extract().<Boolean>path("results[0].cached"));
        int callsBefore = fake.callsFor("cache-probe").size();

        String answer = b().contentType(ContentType.JSON).body(item).post("/api/v1/classifications").then().statusCode(200)
                .extract().asString();
        assertThat(JsonPath.from(answer).getBoolean("results[0].cached")).as(answer).isFalse();
        assertThat(fake.callsFor("cache-probe")).as("b's item went to the model").hasSize(callsBefore + 1);
    }

    @Test
    void aTenantsItemsStopAtItsBudgetWhileAnotherTenantsRunOn() throws Exception {
        // c's requests, one after the other, until one sends nothing: together they stay within c's daily budget
        double spent = 0;
        int sent = 0;
        JsonPath last = null;
        for (int round = 0; round < 6 && (last == null || last.getInt("summary.budget_exceeded") < 5); round++) {
            last = given().header("X-API-Key", TenantCallers.KEY_C).contentType(ContentType.JSON)
                    .body("{" + TAXONOMY + ", \"items\": " + items("budget-c" + round + "-", 5) + "}")
                    .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
            spent += last.getDouble("summary.cost_usd");
            sent += count(last, "ok");
            assertThat(count(last, "ok") + last.getInt("summary.budget_exceeded")).as(last.prettify()).isEqualTo(5);
        }
        assertThat(last.getInt("summary.budget_exceeded")).as("c's last request: " + last.prettify()).isEqualTo(5);
        assertThat(sent).as("items of c sent").isBetween(2, 3);
        assertThat(spent).as("c's spending").isLessThanOrEqualTo(TenantCallers.BUDGET_C);

        JsonPath other = b().contentType(ContentType.JSON).body("{" + TAXONOMY + ", \"items\": " + items("budget-b", 10) + "}")
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
        assertThat(count(other, "ok")).as(other.prettify()).isEqualTo(10);

        // c's jobs draw on the same budget: this one sends nothing
        String job = given().header("X-API-Key", TenantCallers.KEY_C).contentType(ContentType.JSON)
                .body("{" + TAXONOMY + ", \"items\": " + items("budget-job-c", 3) + "}")
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(
                given().header("X-API-Key", TenantCallers.KEY_C).get(job).then().extract().path("status")));
        given().header("X-API-Key", TenantCallers.KEY_C).get(job).then().body("stop_reason", equalTo("budget_exceeded"));
        assertThat(fake.callsFor("budget-job-c")).as("calls of c's job").isEmpty();
    }

    @Test
    void batchApiJobsDrawOnTheTenantsBudgetAtTheirEstimateUntilTheirResultsSayWhatTheyCost() throws Exception {
        RequestSpecification e = given().auth().oauth2(TenantCallers.token("e"));
        fake.batchApi().endAs("failed");
        JsonPath failed = batchJob(e, "batch-e-failing", 40);
        int planned = failed.getInt("counts.failed");
        assertThat(planned).as("items e's budget covered: " + failed.prettify()).isBetween(1, 39);
        assertThat(failed.getInt("counts.cancelled")).as(failed.prettify()).isEqualTo(40 - planned);
        assertThat(failed.getString("stop_reason")).isEqualTo("budget_exceeded");

        // the failed batch cost nothing: its estimate went back to e, so e's next batch job gets as far again
        fake.batchApi().endAs("completed");
        JsonPath second = batchJob(e, "batch-e-second", 40);
        assertThat(second.getInt("counts.ok")).as(second.prettify()).isEqualTo(planned);
        assertThat(second.getDouble("cost_usd")).isLessThanOrEqualTo(TenantCallers.BUDGET_E);
        JsonPath exceeded = given().spec(e).get("/api/v1/jobs/" + second.getString("id") + "/results?status=cancelled&limit=100")
                .then().statusCode(200).extract().jsonPath();
        assertThat(exceeded.getList("items.error.code", String.class)).hasSize(40 - planned).containsOnly("budget_exceeded");

        JsonPath others = batchJob(b(), "batch-b", 40);
        assertThat(others.getInt("counts.ok")).as("b's batch job runs on: " + others.prettify()).isEqualTo(40);
    }

    private static JsonPath batchJob(RequestSpecification caller, String prefix, int items) {
        String id = given().spec(caller).contentType(ContentType.JSON)
                .body("{" + TAXONOMY + ", \"execution\": \"batch-api\", \"items\": " + items(prefix, items) + "}")
                .post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> List.of("completed", "failed").contains(
                given().spec(caller).get("/api/v1/jobs/" + id).then().extract().<String>path("status")));
        return given().spec(caller).get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aSmallRequestOfOneTenantDoesNotWaitBehindManyRequestsOfAnother() throws Exception {
        fake.latency(Duration.ofMillis(200));
        List<SseClient> big = new ArrayList<>();
        try {
            for (int r = 0; r < 12; r++) {
                big.add(SseClient.post(classifications, "{" + TAXONOMY + ", \"items\": " + items("many-a" + r + "-", 60) + "}",
                        Map.of("X-API-Key", TenantCallers.KEY_A)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> fake.callsFor("many-a").size() >= 32);
            JsonPath small = b().contentType(ContentType.JSON).accept(ContentType.JSON)
                    .body("{" + TAXONOMY + ", \"items\": " + items("few-b", 10) + "}")
                    .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
            int others = fake.callsFor("many-a").size();
            assertThat(count(small, "ok")).isEqualTo(10);
            // tenants take turns: b's 10 calls go between about 10 of a's. Were a's 12 requests 12 flows beside
            // b's one, b would get one turn in 13, and a would make about 130 calls meanwhile (on top of the 32)
            assertThat(others).as("calls of tenant a's 720 items made before b's 10 were answered").isLessThan(110);
            await().atMost(Duration.ofSeconds(90)).until(() -> big.stream().allMatch(SseClient::ended));
        } finally {
            big.forEach(SseClient::close);
        }
    }

    @Test
    void aTenantsCallsInFlightStayWithinItsCeiling() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> fake.inProgress() == 0); // earlier tests' calls are over
        fake.reset();
        fake.latency(Duration.ofMillis(100));
        JsonPath answer = given().auth().oauth2(TenantCallers.token("d")).contentType(ContentType.JSON)
                .body("{" + TAXONOMY + ", \"items\": " + items("ceiling-d", 12) + "}")
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
        assertThat(count(answer, "ok")).as(answer.prettify()).isEqualTo(12);
        // a call that timed out on a busy machine is over for the service, but the fake may still be answering it:
        // each one asked again may overlap its successor once
        int askedAgain = fake.callsFor("ceiling-d").size() - 12;
        assertThat(fake.maxConcurrent()).as("calls in flight at once for tenant d (ceiling 2; the service's is 16, "
                + "a new flow's first 8); items asked again: %d", askedAgain).isBetween(2, 2 + askedAgain);
    }

    @Test
    void metricsAreAnAdminsAndNameOnlyConfiguredTenants() throws Exception {
        given().get("/q/metrics").then().statusCode(401);
        a().get("/q/metrics").then().statusCode(403);
        a().contentType(ContentType.JSON).body("{" + TAXONOMY + ", \"items\": " + items("metrics-a", 1) + "}")
                .post("/api/v1/classifications").then().statusCode(200);
        given().auth().oauth2(TenantCallers.token("someone-unlisted")).contentType(ContentType.JSON)
                .body("{" + TAXONOMY + ", \"items\": " + items("metrics-x", 1) + "}")
                .post("/api/v1/classifications").then().statusCode(200);
        String metrics = ops().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("classifier_items_total{mode=\"text\",outcome=\"ok\",tenant=\"a\"}")
                .contains("classifier_items_total{mode=\"text\",outcome=\"ok\",tenant=\"other\"}")
                .contains("classifier_cost_usd_total{model=\"gpt-4o-mini\",tenant=\"a\"}")
                .doesNotContain("someone-unlisted");
    }

    private static int count(JsonPath answer, String status) {
        return (int) answer.getList("results.status").stream().filter(status::equals).count();
    }

    private static String items(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"id\": \"" + prefix + i + "\", \"name\": \"" + prefix + "-" + i
                + " MALM bed\"}").collect(Collectors.joining(",", "[", "]"));
    }
}
