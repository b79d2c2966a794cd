package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.LogCapture;
import dev.catalogclassifier.testsupport.Metrics;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Several keys and two providers against a fake that limits each key to 20 requests per 2 seconds and refuses
 * two keys: {@code key-3} of the default provider, and the only key of the {@code backup} provider, which alone
 * serves gpt-4.1-nano.
 */
@QuarkusTest
@WithTestResource(value = FakeOpenAiResource.class, initArgs = {
        @ResourceArg(name = "keys", value = "test-key-alpha,test-key-bravo,test-key-revoked"),
        @ResourceArg(name = "rejected-keys", value = "test-key-revoked,test-key-backup"),
        @ResourceArg(name = "request-limit", value = "20"),
        @ResourceArg(name = "limit-window-ms", value = "2000"),
        @ResourceArg(name = "classifier.llm.models", value = "gpt-4o-mini,gpt-4o"),
        @ResourceArg(name = "classifier.llm.providers.backup.base-url", value = "${fake}"),
        @ResourceArg(name = "classifier.llm.providers.backup.api-keys", value = "test-key-backup"),
        @ResourceArg(name = "classifier.llm.providers.backup.models", value = "gpt-4.1-nano") })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderPoolTest {

    private static final String REVOKED = "test-key-revoked";

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    @Order(1) // the first calls of this service: key-3 has not been tried yet
    void aRefusedKeyLeavesTheRotationAndItsItemsSucceedOnTheOtherKeys() {
        try (LogCapture warnings = LogCapture.warnings()) {
            classify(12, "gpt-4o-mini").body("results.status", everyItem(equalTo("ok")));

            List<FakeOpenAi.Call> revoked = fake.calls().stream().filter(c -> REVOKED.equals(c.key())).toList();
            assertThat(revoked).as("key-3 was tried, and refused").isNotEmpty()
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo(401));
            assertThat(warnings.messages()).anySatisfy(m -> assertThat(m).contains("key-3").contains("HTTP 401"))
                    .noneSatisfy(m -> assertThat(m).contains("test-key"));
        }
        int before = fake.calls().size();
        classify(12, "gpt-4o-mini").body("results.status", everyItem(equalTo("ok")));
        assertThat(fake.calls().subList(before, fake.calls().size())).extracting(FakeOpenAi.Call::key)
                .as("no call goes to a refused key").doesNotContain(REVOKED);

        given().get("/api/v1/providers").then().statusCode(200)
                .body("providers[0].name", equalTo("openai"))
                .body("providers[0].keys.alias", org.hamcrest.Matchers.contains("key-1", "key-2", "key-3"))
                .body("providers[0].keys[2].state", equalTo("disabled"))
                .body("providers[0].keys[2].disabled_reason", equalTo("HTTP 401"))
                .body("providers[0].keys[0].state", equalTo("active"))
                .body(not(containsString("test-key")));
        assertThat(Metrics.value("classifier_llm_calls_total{key=\"key-3\",outcome=\"key_rejected\",provider=\"openai\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(Metrics.value("classifier_provider_key_usable{key=\"key-3\",provider=\"openai\"")).isZero();
        assertThat(Metrics.value("classifier_provider_key_usable{key=\"key-1\",provider=\"openai\"")).isEqualTo(1);
    }

    @Test
    void whenEveryKeyServingTheModelIsRefusedTheItemFailsWithoutEchoingAKey() {
        classify(1, "gpt-4.1-nano")
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("provider_auth"))
                .body(not(containsString("test-k")));
        assertThat(fake.calls()).as("the other provider does not serve gpt-4.1-nano").allSatisfy(c -> {
            assertThat(c.key()).isEqualTo("test-key-backup");
            assertThat(c.model()).isEqualTo("gpt-4.1-nano");
        });
        given().get("/api/v1/providers").then()
                .body("providers[1].name", equalTo("backup"))
                .body("providers[1].models", org.hamcrest.Matchers.contains("gpt-4.1-nano"))
                .body("providers[1].keys[0].alias", equalTo("backup-key-1"))
                .body("providers[1].keys[0].state", equalTo("disabled"));
    }

    @Test
    void callsArePacedToEachKeysLimitAndSpreadOverTheKeys() {
        classify(100, "gpt-4o-mini").body("results", hasSize(100)).body("results.status", everyItem(equalTo("ok")));

        List<FakeOpenAi.Call> calls = fake.calls();
        long limited = calls.stream().filter(c -> c.status() == 429).count();
        assertThat(limited).as("429s among %d calls", calls.size()).isLessThanOrEqualTo(1);
        Map<String, Long> perKey = calls.stream().filter(c -> c.status() == 200)
                .collect(Collectors.groupingBy(FakeOpenAi.Call::key, Collectors.counting()));
        assertThat(perKey).containsOnlyKeys("test-key-alpha", "test-key-bravo");
        assertThat(perKey.values()).allSatisfy(n -> assertThat(n).isBetween(30L, 70L));
        given().get("/api/v1/providers").then()
                .body("providers[0].keys[0].limits.requests.limit", equalTo(20))
                .body("providers[0].keys[0].limits.requests.paced_per_minute", org.hamcrest.Matchers.lessThanOrEqualTo(600));
    }

    private static ValidatableResponse classify(int n, String model) {
        String items = IntStream.range(0, n).mapToObj(i -> "{\"id\": \"i" + i + "\", \"name\": \"MALM bed " + i + "\"}")
                .collect(Collectors.joining(","));
        return given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"model\": \"" + model + "\", \"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [" + items + "]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200);
    }
}
