package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Requests and jobs take turns for model calls: a small request sent while a large request or a job has hundreds
 * of calls waiting is answered after a few of them, not after all (16 calls in flight in tests, 200 ms each). The
 * bound, half of the other work's calls, leaves room for a busy machine that is slow to take the small request.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class FairShareTest {

    private static final String TAXONOMY = "\"taxonomy\": [\"Beds\", \"Chairs\"]";

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @TestHTTPResource("/api/v1/classifications")
    URI classifications;

    @BeforeEach
    void reset() {
        fake.reset();
        fake.latency(Duration.ofMillis(200));
    }

    @Test
    void aSmallRequestDoesNotWaitBehindALargeOne() {
        try (SseClient big = SseClient.post(classifications, "{" + TAXONOMY + ", \"items\": " + items("big", 600) + "}")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> fake.callsFor("big-").size() >= 16);
            answerSmallRequestAndCountCallsOf("big-");
            await().atMost(Duration.ofSeconds(60)).until(big::ended);
            assertThat(big.events("item")).hasSize(600);
        }
    }

    @Test
    void aSmallRequestDoesNotWaitBehindAJob() {
        String location = given().contentType(ContentType.JSON).body("{" + TAXONOMY + ", \"items\": " + items("job", 600) + "}")
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(60)).until(() -> fake.callsFor("job-").size() >= 16);
        answerSmallRequestAndCountCallsOf("job-");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().get(location).then().extract().path("status")));
    }

    /** Sends five items and answers how many calls the other work had made by the time they were back. */
    private void answerSmallRequestAndCountCallsOf(String other) {
        List<String> statuses = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{" + TAXONOMY + ", \"items\": " + items("small", 5) + "}")
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath().getList("results.status");
        int othersCalls = fake.callsFor(other).size();
        assertThat(statuses).containsOnly("ok").hasSize(5);
        assertThat(othersCalls).as("calls of the 600 other items made before the 5 small ones were answered; "
                + "served one after the other it would be all 600").isLessThan(300);
    }

    private static String items(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"id\": \"" + prefix + i + "\", \"name\": \"" + prefix + "-" + i
                + " MALM bed\"}").collect(Collectors.joining(",", "[", "]"));
    }
}
