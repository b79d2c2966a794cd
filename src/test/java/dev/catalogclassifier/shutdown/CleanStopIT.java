package dev.catalogclassifier.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SIGTERM on the packaged jar in the middle of a long job, as a rolling deploy sends it: the pod refuses new work
 * after the delay with a 503 problem, exits within the grace period with no error in its log, leaves no row in
 * {@code pod}, and a pod started a second later counts itself alone (so it paces at the keys' full limits) and
 * finishes the job with every item ok.
 */
class CleanStopIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Delay and drain of this test's services; Kubernetes' grace period would be their sum plus a margin. */
    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final Duration DRAIN = Duration.ofSeconds(20);
    private static final Duration GRACE = DELAY.plus(DRAIN).plusSeconds(10);

    @Test
    void aPodStoppedInTheMiddleOfAJobExitsCleanlyAndTheNextOneFinishesIt() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key",
                    "CLASSIFIER_SHUTDOWN_DELAY", DELAY.toSeconds() + "s", "CLASSIFIER_SHUTDOWN_TIMEOUT", DRAIN.toSeconds() + "s",
                    "CLASSIFIER_MAX_CONCURRENT_CALLS", "16");
            Path log = Path.of("target", "clean-stop-it", "service.log");
            ServiceProcess first = ServiceProcess.start(ServiceProcess.JAR, env, log);
            first.awaitOk("/api/v1/jobs"); // once the schema is migrated: readiness does not wait for it
            fake.latency(Duration.ofMillis(500));
            String job = JobsApi.submit(first.base(), 1_000, i -> "MALM bed " + i);
            await().atMost(Duration.ofMinutes(2)).until(() -> done(first.base(), job) >= 20);

            long stopped = System.nanoTime();
            first.terminate();
            // while the delay runs, the load balancer still sends; after it, new work is refused with a problem
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> refusedOrGone(first.base()));
            Integer exit = first.awaitExit(GRACE);
            Duration took = Duration.ofNanos(System.nanoTime() - stopped);
            assertThat(exit).as("the process exits within the grace period; it took %s", took).isNotNull();
            List<String> errors = first.logLines().stream().filter(l -> l.contains(" ERROR ")).toList();
            assertThat(errors).as("errors logged by the stopping pod (see %s)", log).isEmpty();
            assertThat(podRows(postgres)).as("the stopped pod deregistered").isZero();

            ServiceProcess second = ServiceProcess.start(ServiceProcess.JAR, env, log);
            try {
                second.awaitOk("/api/v1/jobs");
                JsonNode providers = JobsApi.get(second.base(), "/api/v1/providers");
                assertThat(providers.path("shared_by_pods").asInt()).as("pods sharing the keys, as the new pod counts: %s",
                        providers).isEqualTo(1);
                fake.latency(Duration.ZERO);
                JsonNode finished = await().atMost(Duration.ofMinutes(3)).until(() -> JobsApi.get(second.base(),
                        "/api/v1/jobs/" + job), j -> "completed".equals(j.path("status").asText()));
                assertThat(finished.path("counts").path("ok").asInt()).as(finished.toString()).isEqualTo(1_000);
            } finally {
                second.close();
            }
        }
    }

    private static int done(URI base, String job) throws Exception {
        return JobsApi.get(base, "/api/v1/jobs/" + job).path("counts").path("ok").asInt();
    }

    /** True once a new request is refused: a 503 problem (checked), or no listener (or connection) any more. */
    private static boolean refusedOrGone(URI base) throws Exception {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/providers")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) { // refused, or closed unanswered by a listener going away
            return true;
        }
        if (response.statusCode() == 200) {
            return false;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("stopping");
        return true;
    }

    private static int podRows(EmbeddedPostgres postgres) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM pod")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
