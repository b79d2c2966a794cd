package dev.catalogclassifier.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A provider outage in the middle of a job, on the packaged service: the fake provider's port is closed once a
 * fifth of the job is done (calls in flight are cut off, new connections refused) and opened again after
 * {@code outage}. What the job, {@code GET /api/v1/providers} and {@code /q/metrics} showed meanwhile, and how
 * the job ended. Run by {@code OutageIT} and by {@code bench/outage.sh} ({@link #main}).
 */
public final class OutageRun {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * What was seen. {@code heldThroughout}: at every look during the outage the job was running with no item
     * failed; {@code askedTwice}: items the provider received more than once, against {@code inFlightAtOutage}.
     */
    public record Report(int items, Duration outage, int inFlightAtOutage, boolean heldThroughout, boolean providerShownDown,
            boolean metricShownDown, boolean jobShownWaiting, JsonNode finalJob, long askedTwice, double wallSeconds) {

        String row() {
            return String.format(Locale.ROOT, "| %d | %d s | %d | %s | %s | %s | %s | %d | %.1f s | %s |", items,
                    outage.toSeconds(), inFlightAtOutage, heldThroughout, providerShownDown, metricShownDown, jobShownWaiting,
                    askedTwice, wallSeconds, finalJob.path("counts"));
        }
    }

    private OutageRun() {
    }

    /** {@code <items> <outage-seconds>}: prints one Markdown row. */
    public static void main(String[] args) throws Exception {
        Report report = run(Integer.parseInt(args[0]), Duration.ofSeconds(Long.parseLong(args[1])), Path.of("target", "bench"));
        System.out.println("| items | outage | calls in flight at it | no item failed, job running | provider shown down "
                + "| metric shown 0 | job showed the wait | items asked twice | wall | final counts |");
        System.out.println(report.row());
    }

    /** Runs the scenario: {@code items} at a 200 ms provider, 64 calls at a time; logs under {@code logs}. */
    public static Report run(int items, Duration outage, Path logs) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(),
                    "OPENAI_API_KEY", "outage-key", "CLASSIFIER_MAX_CONCURRENT_CALLS", "64");
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, logs.resolve("outage-service.log"))) {
                service.awaitOk("/api/v1/jobs"); // the jobs API answers once the schema is migrated
                fake.latency(Duration.ofMillis(200));
                URI base = service.base();
                long start = System.nanoTime();
                String id = JobsApi.submit(base, items, i -> "MALM bed " + i);
                Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> job(base, id).path("counts").path("ok").asInt() >= items / 5);
                int inFlight = fake.inProgress();
                fake.stop();
                Seen seen = new Seen();
                boolean held = true;
                try {
                    Awaitility.await().during(outage).atMost(outage.plusSeconds(60)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> seen.look(base, id));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    held = false;
                }
                fake.start();
                JsonNode done = Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> job(base, id), j -> !j.path("status").asText().matches("queued|running"));
                double wall = (System.nanoTime() - start) / 1e9;
                long twice = fake.calls().stream().collect(Collectors.groupingBy(FakeOpenAi.Call::item, Collectors.counting()))
                        .values().stream().filter(n -> n > 1).count();
                return new Report(items, outage, inFlight, held, seen.providerDown, seen.metricDown, seen.jobWaiting, done,
                        twice, wall);
            }
        }
    }

    /** What the caller and the operator could see during the outage. */
    private static final class Seen {
        boolean providerDown;
        boolean metricDown;
        boolean jobWaiting;

        /** One look; true while the job runs with no item failed. */
        boolean look(URI base, String id) throws Exception {
            JsonNode job = job(base, id);
            jobWaiting |= "provider_down".equals(job.path("waiting_for").path("reason").asText());
            providerDown |= "down".equals(JobsApi.get(base, "/api/v1/providers").path("providers").path(0).path("state").asText());
            metricDown |= get(base, "/q/metrics").lines().anyMatch(l -> l.startsWith("classifier_provider_up{")
                    && l.endsWith(" 0.0"));
            return "running".equals(job.path("status").asText()) && job.path("counts").path("failed").asInt() == 0;
        }
    }

    private static JsonNode job(URI base, String id) throws Exception {
        return JobsApi.get(base, "/api/v1/jobs/" + id);
    }

    private static String get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
