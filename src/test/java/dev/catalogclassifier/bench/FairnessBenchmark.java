package dev.catalogclassifier.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;

/**
 * Fair share between streaming requests: {@code big} requests of {@code size} items sent together, and one small
 * request of {@code small} items sent {@code delay-ms} later, against the fake at a fixed latency, with
 * {@code slots} concurrent calls. Prints, per request, when its first item and its last item arrived (from the
 * moment the big requests were sent), and the wall time against the ideal of items × latency ÷ slots. Invoked by
 * {@code bench/fairness.sh}.
 */
public final class FairnessBenchmark {

    private static final String TAXONOMY = "[\"Sofas & armchairs\",\"Beds\",\"Chairs\",\"Tables & desks\"]";

    private FairnessBenchmark() {
    }

    /** What one request's client saw, in seconds from the start. */
    private record Seen(String request, String name, int items, double first, double last, int ok) {
    }

    /** {@code <big> <size> <small> <delay-ms> <latency-ms> <slots>}. */
    public static void main(String[] args) throws Exception {
        int big = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int small = Integer.parseInt(args[2]);
        long delayMs = Long.parseLong(args[3]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[4]));
        int slots = Integer.parseInt(args[5]);
        try (FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = Map.of("OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "bench-key-1",
                    "CLASSIFIER_MAX_CONCURRENT_CALLS", String.valueOf(slots), "CLASSIFIER_LOCAL_CASCADE_BY_DEFAULT", "false");
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "fairness.log"))) {
                service.awaitOk("/q/health/ready");
                // warm-up, not measured: requests of the measured size, so the JIT has compiled their path too
                Load.run(service.base(), 2000, 1000, TAXONOMY, new String[] {"Chair"});
                fake.reset();
                fake.latency(latency);
                long start = System.nanoTime();
                List<Seen> seen = run(service.base(), big, size, small, delayMs, start);
                report(seen, big * size + small, latency, slots, fake.calls(), start);
            }
        }
    }

    private static List<Seen> run(URI base, int big, int size, int small, long delayMs, long start) throws Exception {
        List<Future<Seen>> requests = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int r = 0; r < big; r++) {
                String name = "big-" + (r + 1);
                requests.add(clients.submit(() -> stream(caller(), base, name, size, start)));
            }
            // the client's own schedule: the small request comes later
            java.util.concurrent.Executor later = java.util.concurrent.CompletableFuture.delayedExecutor(delayMs,
                    java.util.concurrent.TimeUnit.MILLISECONDS, clients);
            java.util.concurrent.FutureTask<Seen> smallRequest = new java.util.concurrent.FutureTask<>(
                    () -> stream(caller(), base, "small", small, start));
            later.execute(smallRequest);
            requests.add(smallRequest);
            List<Seen> seen = new ArrayList<>();
            for (Future<Seen> request : requests) {
                seen.add(request.get());
            }
            return seen;
        }
    }

    /**
     * One caller's own HTTP client, on HTTP/1.1 as catalogue services and browsers' EventSource talk: requests from
     * one shared client would be multiplexed over one HTTP/2 connection, whose flow control makes three large
     * bodies queue behind each other before the service has seen them.
     */
    private static HttpClient caller() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static Seen stream(HttpClient http, URI base, String name, int items, long start) throws Exception {
        StringBuilder body = new StringBuilder("{\"taxonomy\":" + TAXONOMY + ",\"items\":[");
        for (int i = 0; i < items; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(name).append('-').append(i)
                    .append("\",\"name\":\"Item ").append(i).append(" of ").append(name).append("\",\"description\":\"Chair\"}");
        }
        long sent = System.nanoTime();
        long[] first = {0};
        long[] last = {0};
        int[] ok = {0};
        Load.items(http, base, body.append("]}").toString(), (data, now) -> {
            first[0] = first[0] == 0 ? now : first[0];
            last[0] = now;
            ok[0] += data.contains("\"status\":\"ok\"") ? 1 : 0;
        });
        return new Seen(name, name + String.format(Locale.ROOT, " (sent at %.1f s)", (sent - start) / 1e9), items,
                (first[0] - start) / 1e9, (last[0] - start) / 1e9, ok[0]);
    }

    private static void report(List<Seen> seen, int items, Duration latency, int slots, List<FakeOpenAi.Call> calls,
            long start) {
        System.out.println("| request | items | ok | first call at the provider s | first item s | last item s |");
        System.out.println("|---|---|---|---|---|---|");
        seen.forEach(s -> System.out.println(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f |", s.name(),
                s.items(), s.ok(), calls.stream().filter(c -> c.item().contains(" of " + s.request() + "\n")
                        || c.item().endsWith(" of " + s.request())).mapToLong(FakeOpenAi.Call::receivedNanos).min()
                        .orElse(start) / 1e9 - start / 1e9, s.first(), s.last())));
        double wall = seen.stream().mapToDouble(Seen::last).max().orElseThrow();
        double ideal = items * latency.toMillis() / 1000.0 / slots;
        System.out.println(String.format(Locale.ROOT, "%nwall %.2f s; ideal (items × latency ÷ slots) %.2f s; wall / ideal %.3f",
                wall, ideal, wall / ideal));
    }
}
