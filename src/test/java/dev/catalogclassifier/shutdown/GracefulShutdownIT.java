package dev.catalogclassifier.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SIGTERM on the packaged jar while a streaming request is in flight: readiness goes down, new requests are
 * refused, and the stream finishes with every item before the process exits.
 */
class GracefulShutdownIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static URI base;
    /** The listener is closed: a new connection is refused. */
    private static final int REFUSED = 0;
    private static final String BODY = "{\"classifier\": \"llm\", \"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": ["
            + "{\"id\": \"a\", \"name\": \"MALM bed\"}, {\"id\": \"b\", \"name\": \"ADDE chair\"},"
            + "{\"id\": \"c\", \"name\": \"HEMNES bed\"}, {\"id\": \"d\", \"name\": \"TEODORES chair\"}]}";

    @Test
    void aStreamInFlightFinishesAfterSigtermWhileNewWorkIsRefused() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres,
                    "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key",
                    "CLASSIFIER_SHUTDOWN_DELAY", "1s", "CLASSIFIER_SHUTDOWN_TIMEOUT", "30s");
            ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "shutdown-it", "service.log"));
            base = service.base();
            service.awaitOk("/q/health/ready");
            // a key that has never answered is in slow start (two calls at a time): one answer tells its limits
            HttpRequest warmUp = HttpRequest.newBuilder(base.resolve("/api/v1/classifications"))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"classifier\": \"llm\", \"taxonomy\": [\"Beds\", \"Chairs\"], "
                            + "\"items\": [{\"id\": \"w\", \"name\": \"KURA bed\"}]}")).build();
            assertThat(HTTP.send(warmUp, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            fake.latency(Duration.ofSeconds(4));

            CompletableFuture<HttpResponse<String>> stream = HTTP.sendAsync(post("text/event-stream"),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(30)).until(() -> fake.inProgress() == 4);
            service.terminate();

            await().atMost(Duration.ofSeconds(60)).until(() -> status(get("/q/health/ready")), s -> s == 503);
            // after the delay (1 s here, for the load balancer to notice) new work is refused: Quarkus closes the
            // listener and idle connections, and a request that still gets through is answered 503 (DrainingTest)
            await().atMost(Duration.ofSeconds(60)).until(() -> status(get("/api/v1/providers")), s -> s == 503 || s == REFUSED);

            HttpResponse<String> finished = stream.get(30, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body().split("event: ?item", -1)).as("every item arrived").hasSize(5);
            assertThat(finished.body()).contains("summary").contains("\"succeeded\":4");
            assertThat(service.awaitExit(Duration.ofSeconds(30))).as("the process ends once the stream is done").isNotNull();
        }
    }

    /**
     * A stopping application can no longer load classes: the in-process model, had it waited for its first item,
     * would fail every local request sent during the delay (internal_error). It loads at start.
     */
    @Test
    void aLocalRequestDuringTheDelayIsAnsweredThoughNoLocalWorkRanBefore() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, ServiceProcess.env(postgres,
                    "CLASSIFIER_SHUTDOWN_DELAY", "10s"), Path.of("target", "shutdown-it", "local.log"));
            base = service.base();
            service.awaitOk("/q/health/ready");
            service.terminate();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(get("/q/health/ready")), s -> s == 503);
            HttpResponse<String> local = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/classifications"))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"classifier\": \"local\", \"taxonomy\": [\"Beds\", "
                            + "\"Chairs\"], \"items\": [{\"id\": \"x\", \"name\": \"MALM bed\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(local.statusCode()).as(local.body()).isEqualTo(200);
            assertThat(local.body()).as("answered during the delay").contains("\"status\":\"ok\"").contains("Beds");
            assertThat(service.awaitExit(Duration.ofSeconds(60))).isNotNull();
            assertThat(service.logLines()).as("a pod stopped right after its start logs no error")
                    .noneMatch(line -> line.contains(" ERROR "));
        }
    }

    private static HttpRequest post(String accept) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/classifications"))
                .header("Content-Type", "application/json").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).build();
    }

    private static int status(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.net.ConnectException e) {
            return REFUSED;
        } catch (Exception e) {
            return -1;
        }
    }
}
