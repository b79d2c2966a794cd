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
 * Rate-limit utilisation: work on the packaged service against a fake provider that limits each of two keys to
 * {@code limit} requests per {@code window-s} seconds, in one of three styles ({@link FakeOpenAi.Headers}):
 * {@code full} is OpenAI's bucket with every header (the window may be shortened so the run is minutes, not
 * hours; the pacer learns the refill rate from the headers, not from the window); {@code limit_only} and
 * {@code none} send the limit header alone or nothing, and enforce the limit over 1 s fixed windows. The work is
 * one durable job ({@code job}) or {@code requests:N}, N concurrent streaming requests sharing the items.
 * Reports the share of what the limit allowed during the run that was used, the same share in steady state
 * (after each key's initial bucket was spent), the 429 share, and items failed or lost.
 * Invoked by {@code bench/ratelimit.sh}.
 */
public final class RateLimitBenchmark {

    private static final List<String> KEYS = List.of("bench-key-a", "bench-key-b");

    private RateLimitBenchmark() {
    }

    /**
     * {@code <items> <limit per key> <window-s> <latency-ms> [full|limit_only|none] [job|requests:N] [after-stop]}:
     * with {@code after-stop}, another service on the same database is started and stopped cleanly (SIGTERM) first,
     * and the measured one starts a second after it exited, as in a rolling deploy.
     */
    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(args[0]);
        long limit = Long.parseLong(args[1]);
        Duration window = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration latency = Duration.ofMillis(Long.parseLong(args[3]));
        FakeOpenAi.Headers style = FakeOpenAi.Headers.valueOf((args.length > 4 ? args[4] : "full").toUpperCase(Locale.ROOT));
        String via = args.length > 5 ? args[5] : "job";
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres,
                    "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", String.join(",", KEYS),
                    "CLASSIFIER_LOCAL_CASCADE_BY_DEFAULT", "false");
            if (args.length > 6 && args[6].equals("after-stop")) {
                stopCleanly(env);
            }
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "ratelimit.log"))) {
                service.awaitOk("/api/v1/jobs");
                fake.latency(latency);
                fake.limitRequests(limit, window, style, Duration.ofSeconds(1));
                Map<String, Integer> counts = via.equals("job") ? job(service, items) : requests(service, items,
                        Integer.parseInt(via.substring(via.indexOf(':') + 1)));
                report(items, limit, window, latency, style, via, fake.calls(), counts);
            }
        }
    }

    /** A service that starts, then gets SIGTERM and exits; returns a second after it did. */
    private static void stopCleanly(Map<String, String> env) throws Exception {
        ServiceProcess before = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "ratelimit-before.log"));
        before.awaitOk("/api/v1/jobs");
        before.terminate();
        if (before.awaitExit(Duration.ofMinutes(2)) == null) {
            throw new IllegalStateException("the first service did not exit within 2 minutes");
        }
        Thread.sleep(1_000); // the rolling deploy's gap: the next pod starts a second later
    }

    /** The items' statuses when the job has ended. */
    private static Map<String, Integer> job(ServiceProcess service, int items) throws Exception {
        String id = JobsApi.submit(service.base(), items, i -> "Item " + i + ", 3-seat sofa");
        JsonNode job = Awaitility.await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> JobsApi.get(service.base(), "/api/v1/jobs/" + id),
                        j -> !j.path("status").asText().matches("queued|running"));
        return Map.of("ok", job.path("counts").path("ok").asInt(), "failed", job.path("counts").path("failed").asInt());
    }

    /** The items' statuses as the streaming clients saw them. */
    private static Map<String, Integer> requests(ServiceProcess service, int items, int requests) throws Exception {
        String taxonomy = "[\"Sofas & armchairs\",\"Beds\",\"Chairs\",\"Tables & desks\"]";
        Load.Result result = Load.run(service.base(), items, (items + requests - 1) / requests, taxonomy,
                new String[] {"3-seat sofa", "Bed frame", "Chair", "Desk"});
        return result.statuses();
    }

    /** Answered and refused calls per second of the run, on stderr: how the pacing found the limit. */
    private static void timeline(List<FakeOpenAi.Call> calls, long first) {
        java.util.TreeMap<Long, int[]> perSecond = new java.util.TreeMap<>();
        calls.forEach(c -> perSecond.computeIfAbsent((c.receivedNanos() - first) / 1_000_000_000L, s -> new int[2])
                [c.status() == 429 ? 1 : 0]++);
        StringBuilder line = new StringBuilder("per second (ok/429):");
        perSecond.forEach((s, n) -> line.append(' ').append(n[0]).append('/').append(n[1]));
        System.err.println(line);
    }

    private static void report(int items, long limit, Duration window, Duration latency, FakeOpenAi.Headers style,
            String via, List<FakeOpenAi.Call> calls, Map<String, Integer> counts) {
        List<FakeOpenAi.Call> ok = calls.stream().filter(c -> c.status() == 200).toList();
        long limited = calls.stream().filter(c -> c.status() == 429).count();
        double perSecond = KEYS.size() * limit / (double) window.toSeconds();
        long first = calls.getFirst().receivedNanos();
        double run = (ok.getLast().receivedNanos() - first) / 1e9;
        // a full-header key starts with a full bucket; a short-window one with its first window's share
        double burstAllowed = style == FakeOpenAi.Headers.FULL ? KEYS.size() * limit : perSecond;
        double allowed = burstAllowed + perSecond * run;
        // steady state: from the moment the keys' initial buckets were spent
        int burst = (int) Math.min(ok.size() - 1, burstAllowed);
        double steadySeconds = (ok.getLast().receivedNanos() - ok.get(burst).receivedNanos()) / 1e9;
        double steady = (ok.size() - 1 - burst) / steadySeconds / perSecond;
        timeline(calls, first);
        int failed = counts.values().stream().mapToInt(Integer::intValue).sum() - counts.getOrDefault("ok", 0);
        int done = counts.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println(String.format(Locale.ROOT,
                "| %s | %s | %d | %d per %d s × %d keys | %d ms | %.1f s | %d | %.1f%% | %.1f%% | %d (%.2f%%) | %d | %d |",
                style.name().toLowerCase(Locale.ROOT), via, items, limit, window.toSeconds(), KEYS.size(), latency.toMillis(),
                run, ok.size(), 100 * ok.size() / allowed, 100 * steady, limited, 100.0 * limited / calls.size(), failed,
                items - done));
    }
}
