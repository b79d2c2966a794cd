package dev.catalogclassifier.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * What a caller sees when the provider misbehaves. Refused keys and rate limits per key: {@code ProviderPoolTest}. Test limits (application.properties, %test): 1.5 s per
 * attempt, 3 retries, 20 ms first backoff step.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class ResilienceTest {

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void serverErrorsAreRetriedUntilTheyPass() {
        classify("{\"id\": \"a\", \"name\": \"MALM bed [500:2]\"}")
                .body("results[0].status", equalTo("ok"))
                .body("results[0].category", equalTo("Beds"))
                .body("results[0].attempts", equalTo(3));
        List<FakeOpenAi.Call> calls = fake.callsFor("[500:2]");
        assertThat(calls).extracting(FakeOpenAi.Call::status).containsExactly(500, 500, 200);
        assertThat(calls.get(1).key()).as("a 5xx fails over to the other key").isNotEqualTo(calls.get(0).key());
    }

    @Test
    void persistentServerErrorsFailOnlyThatItemAfterTheRetries() {
        classify("{\"id\": \"bad\", \"name\": \"MALM bed [500:99]\"}, {\"id\": \"good\", \"name\": \"LACK table\"}")
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("provider_error"))
                .body("results[0].attempts", equalTo(4))
                .body("results[1].status", equalTo("ok"))
                .body("summary.failed", equalTo(1))
                .body("summary.succeeded", equalTo(1));
    }

    @Test
    void a429MovesTheCallToTheOtherKeyAndARateLimitedKeyRestsForItsRetryAfter() {
        classify("{\"id\": \"a\", \"name\": \"LACK table [429:2] [retry-after:1]\"}")
                .body("results[0].status", equalTo("ok"))
                .body("results[0].attempts", equalTo(3));
        List<FakeOpenAi.Call> calls = fake.callsFor("[429:2]");
        assertThat(calls).extracting(FakeOpenAi.Call::status).containsExactly(429, 429, 200);
        assertThat(calls.get(1).key()).as("the second attempt fails over").isNotEqualTo(calls.get(0).key());
        // both keys now rest for their Retry-After; without it the test backoff would wait about 20 ms
        assertThat(Duration.ofNanos(calls.get(2).receivedNanos() - calls.get(0).receivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void aHangingCallTimesOutAndFailsAloneWhileTheOthersSucceed() {
        classify("{\"id\": \"hang\", \"name\": \"LACK table [hang]\"}, {\"id\": \"b\", \"name\": \"POÄNG armchair\"},"
                + " {\"id\": \"c\", \"name\": \"BILLY bookcase\"}")
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("timeout"))
                .body("results[0].attempts", equalTo(4))
                .body("results[1].status", equalTo("ok"))
                .body("results[2].status", equalTo("ok"));
    }

    @Test
    void anUnparseableAnswerIsAskedAgainOnceThenSucceeds() {
        classify("{\"id\": \"a\", \"name\": \"LACK table [garbage:1]\"}")
                .body("results[0].status", equalTo("ok"))
                .body("results[0].category", equalTo("Tables & desks"))
                .body("results[0].attempts", equalTo(2))
                .body("results[0].usage.prompt_tokens", equalTo(200));
        assertThat(fake.callsFor("[garbage:1]").get(1).item()).contains("LACK table");
    }

    @Test
    void aPersistentlyUnparseableAnswerFailsWithInvalidAnswer() {
        classify("{\"id\": \"a\", \"name\": \"LACK table [garbage]\"}, {\"id\": \"b\", \"name\": \"MALM bed\"}")
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("invalid_answer"))
                .body("results[0].attempts", equalTo(2))
                .body("results[1].status", equalTo("ok"));
    }

    @Test
    void aBodyThatIsNotJsonAtAllIsAProviderErrorRetriedThenFailed() {
        classify("{\"id\": \"a\", \"name\": \"LACK table [broken]\"}")
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("provider_unreachable"))
                .body("results[0].attempts", equalTo(4));
    }

    private static ValidatableResponse classify(String items) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": [\"Beds\", \"Chairs\", \"Tables & desks\", \"Sofas & armchairs\", "
                        + "\"Bookcases & shelving units\"], \"items\": [" + items + "]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200);
    }
}
