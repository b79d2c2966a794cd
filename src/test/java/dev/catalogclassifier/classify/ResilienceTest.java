package dev.catalogclassifier.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

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
 * What a caller sees when the provider misbehaves. Test limits (application.properties, %test): 1.5 s per
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
        assertThat(fake.callsFor("[500:2]")).extracting(FakeOpenAi.Call::status).containsExactly(500, 500, 200);
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
    void retryAfterOfA429IsWaitedOutBeforeTheNextAttempt() {
        classify("{\"id\": \"a\", \"name\": \"LACK table [429:1] [retry-after:1]\"}")
                .body("results[0].status", equalTo("ok"))
                .body("results[0].attempts", equalTo(2));
        List<FakeOpenAi.Call> calls = fake.callsFor("[429:1]");
        assertThat(calls).extracting(FakeOpenAi.Call::status).containsExactly(429, 200);
        // without Retry-After the test backoff would wait about 20 ms
        assertThat(Duration.ofNanos(calls.get(1).receivedNanos() - calls.get(0).receivedNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void authenticationFailuresAreNotRetriedAndNeverEchoTheKey() {
        classify("{\"id\": \"a\", \"name\": \"LACK table [401]\"}")
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("provider_auth"))
                .body("results[0].attempts", equalTo(1))
                .body(not(containsString("test-key")))
                .body(not(containsString("test-k***")));
        assertThat(fake.callsFor("[401]")).hasSize(1);
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
    void anAnswerOutsideTheTaxonomyIsAskedAgainThenFails() {
        classify("{\"id\": \"a\", \"name\": \"LACK table [outside]\"}")
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("invalid_answer"))
                .body("results[0].error.message", containsString("Spaceships"))
                .body("results[0].attempts", equalTo(2))
                .body("results[0]", not(org.hamcrest.Matchers.hasKey("category")));
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
