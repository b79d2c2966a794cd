package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.Metrics;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A provider outage is a wait: its calls pause while it is down, a job's items wait through it and end ok, and a
 * request's items, whose caller is waiting, fail once their shorter patience is spent. The outage here is a gateway
 * answering 503 with an HTML page to every call; {@code GracefulShutdownIT}'s sibling {@code OutageIT} stops the
 * provider's port on the packaged jar. Request patience is 6 s here (2 min by default), probes every 0.2 s to 1 s.
 */
@QuarkusTest
@WithTestResource(value = FakeOpenAiResource.class, initArgs = {
        @ResourceArg(name = "classifier.llm.outage.request-patience", value = "6s"),
        @ResourceArg(name = "classifier.llm.outage.first-probe", value = "200ms"),
        @ResourceArg(name = "classifier.llm.outage.max-probe", value = "1s") })
class OutageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TAXONOMY = "[\"Beds\", \"Chairs\", \"Sofas & armchairs\"]";

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
        await().atMost(PATIENCE).until(() -> providers().path("providers[0].state").equals("up"));
    }

    @Test
    void aJobWaitsThroughAnOutageThatOutlastsARequestsPatienceAndEndsWithEveryItemOk() {
        fake.outage(503);
        String job = given().contentType(ContentType.JSON)
                .body("{\"classifier\": \"llm\", \"taxonomy\": " + TAXONOMY + ", \"items\": [" + items("job", 30) + "]}")
                .post("/api/v1/jobs").then().statusCode(202).extract().path("id");

        await().atMost(PATIENCE).until(() -> providers().path("providers[0].state").equals("down"));
        Response down = providers();
        assertThat(down.jsonPath().getString("providers[0].down_since")).as(down.asString()).isNotNull();
        assertThat(Metrics.value("classifier_provider_up{provider=\"openai\"")).isEqualTo(0.0);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/jobs/" + job).then()
                .body("status", equalTo("running"))
                .body("waiting_for.reason", equalTo("provider_down"))
                .body("waiting_for.providers", equalTo(java.util.List.of("openai"))));

        // a request sent now waits too, but its caller is waiting: after its 6 s it fails, and says why
        Response request = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"classifier\": \"llm\", \"taxonomy\": " + TAXONOMY + ", \"items\": [" + items("req", 3) + "]}")
                .post("/api/v1/classifications");
        assertThat(request.statusCode()).as(request.asString()).isEqualTo(200);
        assertThat(request.jsonPath().getList("results.error.code")).as(request.asString())
                .containsOnly("provider_unreachable");

        // the job outlived that patience and lost nothing
        given().get("/api/v1/jobs/" + job).then().body("status", equalTo("running"))
                .body("counts.failed", equalTo(0)).body("waiting_for.reason", equalTo("provider_down"));
        fake.outage(0);
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/jobs/" + job).then()
                .body("status", equalTo("completed")));
        given().get("/api/v1/jobs/" + job).then().body("counts.ok", equalTo(30)).body("counts.failed", equalTo(0))
                .body("waiting_for", equalTo(null));
        assertThat(providers().path("providers[0].state").toString()).isEqualTo("up");
        assertThat(Metrics.value("classifier_provider_up{provider=\"openai\"")).isEqualTo(1.0);
    }

    @Test
    void whileDownOnlySingleProbesReachTheProvider() {
        fake.outage(503);
        CompletableFuture<Response> stream = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .accept(ContentType.JSON)
                .body("{\"classifier\": \"llm\", \"taxonomy\": " + TAXONOMY + ", \"items\": [" + items("probe", 20) + "]}")
                .post("/api/v1/classifications"));
        await().atMost(PATIENCE).until(() -> providers().path("providers[0].state").equals("down"));
        int atOutage = fake.calls().size();
        await().atMost(PATIENCE).until(() -> fake.calls().size() >= atOutage + 3); // three probes
        assertThat(fake.maxConcurrent()).as("calls in flight at once").isLessThanOrEqualTo(16);
        int probes = fake.calls().size() - atOutage;
        fake.outage(0);

        Response answer = stream.join();
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.jsonPath().getList("results.status")).as(answer.asString()).containsOnly("ok");
        assertThat(probes).as("calls that reached the provider while it was down, one at a time").isLessThan(20);
        java.util.List<Long> downCalls = fake.calls().stream().skip(atOutage).filter(c -> c.status() == 503)
                .map(FakeOpenAi.Call::receivedNanos).toList();
        for (int i = 1; i < downCalls.size(); i++) {
            assertThat(Duration.ofNanos(downCalls.get(i) - downCalls.get(i - 1)))
                    .as("probes are spaced, not a stampede").isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    private static Response providers() {
        return given().get("/api/v1/providers");
    }

    private static String items(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"id\": \"" + prefix + "-" + i + "\", \"name\": \"MALM bed "
                + prefix + " " + i + "\"}").collect(Collectors.joining(","));
    }
}
