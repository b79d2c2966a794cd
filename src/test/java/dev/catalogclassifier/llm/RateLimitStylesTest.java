package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Providers that say less than OpenAI about their limits, each a pair of keys of 600 requests a minute enforced
 * over one-second windows (10 a second, 429 + Retry-After beyond): {@code partial} sends only
 * {@code x-ratelimit-limit-requests}, {@code silent} sends no rate-limit header at all. A 429 must never fail an
 * item: the service paces a limit it is told evenly, and learns one it is not told.
 */
@QuarkusTest
@WithTestResource(value = FakeOpenAiResource.class, initArgs = {
        @ResourceArg(name = "classifier.llm.models", value = "gpt-4o-mini"),
        @ResourceArg(name = "classifier.llm.providers.partial.base-url", value = "${fake}"),
        @ResourceArg(name = "classifier.llm.providers.partial.api-keys", value = "partial-key-a,partial-key-b"),
        @ResourceArg(name = "classifier.llm.providers.partial.models", value = "gpt-4.1-mini"),
        @ResourceArg(name = "classifier.llm.providers.silent.base-url", value = "${fake}"),
        @ResourceArg(name = "classifier.llm.providers.silent.api-keys", value = "silent-key-a,silent-key-b"),
        @ResourceArg(name = "classifier.llm.providers.silent.models", value = "gpt-4.1-nano"),
        @ResourceArg(name = "key-limits", value = "partial-key-a:600:LIMIT_ONLY,partial-key-b:600:LIMIT_ONLY,"
                + "silent-key-a:600:NONE,silent-key-b:600:NONE") })
class RateLimitStylesTest {

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
        fake.latency(Duration.ofMillis(100));
    }

    @Test
    void withTheLimitHeaderAloneCallsAreSpreadEvenlyAndNoItemFails() {
        JsonPath answer = classify(240, "gpt-4.1-mini");
        assertThat(answer.getList("results.status")).as(answer.prettify()).containsOnly("ok").hasSize(240);
        List<FakeOpenAi.Call> calls = fake.calls();
        long limited = calls.stream().filter(c -> c.status() == 429).count();
        assertThat(limited).as("429s among %d calls", calls.size()).isLessThanOrEqualTo(calls.size() / 100);
        given().get("/api/v1/providers").then()
                .body("providers.find { it.name == 'partial' }.keys[0].limits.requests.source", equalTo("limit_only"))
                .body("providers.find { it.name == 'partial' }.keys[0].limits.requests.limit", equalTo(600));
    }

    @Test
    void withNoHeadersAtAllTheLimitIsLearntFrom429sAndNoItemFails() {
        JsonPath answer = classify(400, "gpt-4.1-nano");
        assertThat(answer.getList("results.status")).as(answer.prettify()).containsOnly("ok").hasSize(400);
        List<FakeOpenAi.Call> calls = fake.calls();
        Map<Integer, Long> byStatus = calls.stream().collect(Collectors.groupingBy(FakeOpenAi.Call::status,
                Collectors.counting()));
        // unlearnt, 16 calls in flight at 100 ms against 20 a second would be refused ~85 % of the time; learnt, a
        // quiet machine sees under 5 %, one busy with another build up to 8 % (sends drift into the next 1 s window)
        assertThat(byStatus.getOrDefault(429, 0L)).as("429s among %d calls: %s", calls.size(), byStatus)
                .isLessThanOrEqualTo(calls.size() * 10L / 100);
        given().get("/api/v1/providers").then()
                .body("providers.find { it.name == 'silent' }.keys[0].limits.requests.source", equalTo("learnt"));
    }

    private static JsonPath classify(int n, String model) {
        String items = IntStream.range(0, n).mapToObj(i -> "{\"id\": \"i" + i + "\", \"name\": \"MALM bed " + i + "\"}")
                .collect(Collectors.joining(","));
        return given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"model\": \"" + model + "\", \"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [" + items + "]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200).extract().jsonPath();
    }
}
