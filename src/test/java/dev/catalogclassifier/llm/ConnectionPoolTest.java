package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * One key, and a concurrency limit far above the HTTP client's default pool (Vert.x keeps 5 connections a host): every permitted
 * call must reach the provider at once, not 50 of them.
 */
@QuarkusTest
@TestProfile(ConnectionPoolTest.SixtyCalls.class)
@WithTestResource(value = FakeOpenAiResource.class, initArgs = @ResourceArg(name = "keys", value = "test-key-alpha"))
class ConnectionPoolTest {

    public static class SixtyCalls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("classifier.llm.max-concurrent-calls", "60");
        }
    }

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @Test
    void oneKeyCarriesAsManyCallsAsTheLimitAllows() {
        fake.reset();
        // a key that has never answered is in slow start (two calls at a time): one answer tells its limits
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body("{\"items\": [{\"id\": \"w\", \"name\": \"MALM bed\"}]}")
                .post("/api/v1/classifications").then().statusCode(200);
        // a thread started here inherits the test's class loader, which RestAssured needs (the common pool's does not)
        CompletableFuture<Response> response = CompletableFuture.supplyAsync(() ->
                given().contentType(ContentType.JSON).accept(ContentType.JSON).body(items(60))
                        .post("/api/v1/classifications").then().extract().response(), Executors.newVirtualThreadPerTaskExecutor());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(fake.inProgress()).isEqualTo(60));
        fake.open("pool");

        response.join().then().statusCode(200).body("summary.succeeded", equalTo(60));
        assertThat(fake.maxConcurrent()).isEqualTo(60);
    }

    private static String items(int count) {
        return "{\"items\": [" + IntStream.range(0, count)
                .mapToObj(i -> "{\"id\": \"p" + i + "\", \"name\": \"MALM bed " + i + " [gate:pool]\"}")
                .collect(Collectors.joining(",")) + "]}";
    }
}
