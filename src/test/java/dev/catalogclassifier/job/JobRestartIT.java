package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;

/**
 * Restart safety on the packaged jar: a 2,000-item job, {@code kill -9} halfway, start again, and the job
 * completes with exactly one result per item, with the in-process channel and with RabbitMQ. Writes how many
 * model calls were made twice to {@code target/restart-it/report-<mode>.txt}.
 */
class JobRestartIT extends PackagedJarIT {

    private static final int ITEMS = 2_000;

    /**
     * In-process, the restarted service takes the killed one's items over once its lease has expired; with RabbitMQ
     * it does not (take-over is off), so only the broker's redelivery of unacknowledged messages can finish the job.
     */
    @ParameterizedTest(name = "profile {0}")
    @ValueSource(strings = { "prod", "prod,rabbitmq" })
    void aJobSurvivesKillDashNine(String profile) throws Exception {
        if (profile.contains("rabbitmq")) {
            assumeBroker();
        }
        // this run's own queue on the machine's broker: another build's run must not take its messages
        String queue = "catalog-classifier.job-items.it-" + java.util.UUID.randomUUID();
        Map<String, String> env = ServiceProcess.env(postgres, "QUARKUS_PROFILE", profile,
                "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key", "CLASSIFIER_MAX_CONCURRENT_CALLS", "32",
                "CLASSIFIER_JOBS_QUEUE", queue,
                // a short lease, so the restarted pod takes the killed one's items over in seconds, not half a minute
                "CLASSIFIER_JOBS_LEASE_TTL", "6s", "CLASSIFIER_JOBS_LEASE_RENEW", "1s",
                "CLASSIFIER_REVIEW_LOCAL_CHECK", "false"); // see PackagedJarIT.leasedPod
        String mode = profile.contains("rabbitmq") ? "rabbitmq" : "in-process";
        fake.reset();
        fake.latency(Duration.ofMillis(100));
        Path log = Path.of("target", "restart-it", mode + ".log");

        ServiceProcess first = ServiceProcess.start(ServiceProcess.JAR, env, log);
        first.awaitOk("/api/v1/jobs");
        // names unique to the mode: the result cache would otherwise answer the second run from the first
        String id = JobsApi.submit(first.base(), ITEMS, i -> "MALM bed " + i + " " + mode);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> done(first.base(), id, ITEMS) >= ITEMS / 2);
        int doneAtKill = done(first.base(), id, ITEMS);
        first.kill();
        int callsBeforeKill = fake.calls().size();

        try (ServiceProcess second = ServiceProcess.start(ServiceProcess.JAR, env, log)) {
            second.awaitOk("/api/v1/jobs");
            await().atMost(Duration.ofMinutes(3)).until(() -> "completed".equals(job(second.base(), id).path("status").asText()));

            JsonNode job = job(second.base(), id);
            assertThat(job.path("counts").path("ok").asInt()).isEqualTo(ITEMS);
            assertThat(job.path("counts").path("queued").asInt()).isZero();
            assertEveryItemHasExactlyOneResult(second.base(), id, ITEMS);

            int twice = fake.calls().size() - ITEMS;
            String report = String.format(mode + ": items %d, done when killed %d, provider calls before kill %d, total calls %d, "
                    + "calls made twice %d%n", ITEMS, doneAtKill, callsBeforeKill, fake.calls().size(), twice);
            Files.writeString(Path.of("target", "restart-it", "report-" + mode + ".txt"), report);
            System.out.print("JobRestartIT: " + report);
            assertThat(twice).as("only items in flight at the kill are asked again").isBetween(0, 32 + 256);
        } finally {
            if (profile.contains("rabbitmq")) {
                dev.catalogclassifier.testsupport.MachineBroker.deleteQueue(queue);
            }
        }
    }
}
