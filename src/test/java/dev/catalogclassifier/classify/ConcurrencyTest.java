package dev.catalogclassifier.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import java.net.URI;
import java.time.Duration;
import java.util.stream.Collectors;
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
import io.restassured.http.ContentType;

/** The bulkhead (16 in tests) queues items instead of rejecting them, and a departed client stops spending. */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class ConcurrencyTest {

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @TestHTTPResource("/api/v1/classifications")
    URI classifications;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void twoHundredItemsAgainstABulkheadOfSixteenAllComplete() {
        fake.latency(Duration.ofMillis(40));
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(items(200, "queue"))
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results", hasSize(200))
                .body("results.status", everyItem(equalTo("ok")))
                .body("summary.succeeded", equalTo(200));
        assertThat(fake.calls()).hasSize(200);
        assertThat(fake.maxConcurrent()).as("calls ran side by side, never more than the bulkhead").isBetween(2, 16);
    }

    @Test
    void aClientThatDisconnectsStopsItsQueuedAndOpenModelCalls() {
        double cancelledBefore = cancelledCalls();
        SseClient sse = SseClient.post(classifications, items(40, "gate:gone"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.inProgress() == 16);

        sse.disconnect();
        await().atMost(Duration.ofSeconds(60)).until(sse::ended);
        // the 16 exchanges under way are abandoned while the provider still holds them: no slot waits for their answers
        await().atMost(Duration.ofSeconds(60)).until(() -> inFlightItems() == 0);
        assertThat(fake.inProgress()).as("calls the provider still holds").isEqualTo(16);
        assertThat(cancelledCalls() - cancelledBefore).as("provider calls counted cancelled, not timed out")
                .isEqualTo(16);
        fake.open("gone");

        assertThat(fake.calls()).as("only the 16 calls already under way were made").hasSize(16);
    }

    /** {@code classifier_llm_calls_total} with {@code outcome="cancelled"}, over every key. */
    private static double cancelledCalls() {
        String metrics = given().accept("text/plain").get("/q/metrics").asString();
        return metrics.lines().filter(l -> l.startsWith("classifier_llm_calls_total{") && l.contains("outcome=\"cancelled\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static double inFlightItems() {
        String metrics = given().accept("text/plain").get("/q/metrics").asString();
        return metrics.lines().filter(l -> l.startsWith("classifier_items_in_flight "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static String items(int count, String marker) {
        return "{\"items\": [" + IntStream.range(0, count)
                .mapToObj(i -> "{\"id\": \"" + marker + i + "\", \"name\": \"TERJE folding chair " + i + " [" + marker + "]\"}")
                .collect(Collectors.joining(",")) + "]}";
    }
}
