package dev.catalogclassifier.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Rate-limit utilisation: one durable job on the packaged service, against a fake provider that gives each of
 * two keys a bucket of {@code limit} requests refilled evenly over {@code window-s} seconds (OpenAI's bucket,
 * with the window shortened so the run is minutes, not hours; the pacer learns the refill rate from the
 * headers, not from the window). Reports the share of what the limit allowed during the run that was used,
 * the same share in steady state (after each key's initial bucket was spent), the 429 share, and items lost.
 * Invoked by {@code bench/ratelimit.sh}.
 */
public final class RateLimitBenchmark {

    private static final List<String> KEYS = List.of("bench-key-a", "bench-key-b");

    private RateLimitBenchmark() {
    }

    /** {@code <items> <limit per key> <window-s> <latency-ms>}. */
    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(args[0]);
        long limit = Long.parseLong(args[1]);
        Duration window = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration latency = Duration.ofMillis(Long.parseLong(args[3]));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres,
                    "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", String.join(",", KEYS));
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "ratelimit.log"))) {
                service.awaitOk("/api/v1/jobs");
                fake.latency(latency);
                fake.limitRequests(limit, window);
                String id = JobsApi.submit(service.base(), items, i -> "Item " + i + ", 3-seat sofa");
                JsonNode job = Awaitility.await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(500))
                        .until(() -> JobsApi.get(service.base(), "/api/v1/jobs/" + id),
                                j -> !j.path("status").asText().matches("queued|running"));
                report(items, limit, window, latency, fake.calls(), job);
            }
        }
    }

    private static void report(int items, long limit, Duration window, Duration latency, List<FakeOpenAi.Call> calls,
            JsonNode job) {
        List<FakeOpenAi.Call> ok = calls.stream().filter(c -> c.status() == 200).toList();
        long limited = calls.stream().filter(c -> c.status() == 429).count();
        double perSecond = KEYS.size() * limit / (double) window.toSeconds();
        long first = calls.getFirst().receivedNanos();
        double run = (ok.getLast().receivedNanos() - first) / 1e9;
        double allowed = KEYS.size() * limit + perSecond * run;
        // steady state: from the moment the keys' initial buckets were spent
        int burst = (int) Math.min(ok.size() - 1, KEYS.size() * limit);
        double steadySeconds = (ok.getLast().receivedNanos() - ok.get(burst).receivedNanos()) / 1e9;
        double steady = (ok.size() - 1 - burst) / steadySeconds / perSecond;
        int done = job.path("counts").path("ok").asInt() + job.path("counts").path("failed").asInt();
        System.out.println(String.format(Locale.ROOT,
                "| %d | %d per %d s × %d keys | %d ms | %.1f s | %d | %.1f%% | %.1f%% | %d (%.2f%%) | %d | %d |",
                items, limit, window.toSeconds(), KEYS.size(), latency.toMillis(), run, ok.size(), 100 * ok.size() / allowed,
                100 * steady, limited, 100.0 * limited / calls.size(), job.path("counts").path("failed").asInt(),
                items - done));
    }
}
