package dev.catalogclassifier.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Fair share between tenants: tenant A submits a job of {@code job-items} items; while it runs, tenant B sends
 * {@code rounds} requests of {@code small} items, one after the other, {@code gap-ms} apart. Prints each of B's
 * requests' wall time in provider latencies, against B alone on an idle service first. Both tenants authenticate
 * with API keys from an {@code auth.properties} read through {@code QUARKUS_CONFIG_LOCATIONS}, as in Kubernetes.
 * Invoked by {@code bench/tenants.sh}.
 */
public final class TenantFairnessBenchmark {

    private static final String TAXONOMY = "[\"Sofas & armchairs\",\"Beds\",\"Chairs\",\"Tables & desks\"]";
    private static final String KEY_A = "bench-tenant-a-0f3c9e21";
    private static final String KEY_B = "bench-tenant-b-7d5a4b18";

    private TenantFairnessBenchmark() {
    }

    /** {@code <job-items> <small> <rounds> <gap-ms> <latency-ms> <slots>}. */
    public static void main(String[] args) throws Exception {
        int jobItems = Integer.parseInt(args[0]);
        int small = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        long gapMs = Long.parseLong(args[3]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[4]));
        int slots = Integer.parseInt(args[5]);
        Path auth = Path.of("target", "bench", "tenants-auth.properties");
        Files.createDirectories(auth.getParent());
        Files.writeString(auth, "classifier.auth.tenants.a.api-key-sha256=" + sha256(KEY_A) + "\n"
                + "classifier.auth.tenants.b.api-key-sha256=" + sha256(KEY_B) + "\n");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres, "OPENAI_BASE_URL", fake.baseUrl(),
                    "OPENAI_API_KEY", "bench-key-1", "CLASSIFIER_MAX_CONCURRENT_CALLS", String.valueOf(slots),
                    "CLASSIFIER_LOCAL_CASCADE_BY_DEFAULT", "false", "CLASSIFIER_AUTH", "required",
                    "QUARKUS_CONFIG_LOCATIONS", auth.toAbsolutePath().toString());
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "tenants.log"))) {
                service.awaitOk("/q/health/ready");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                fake.latency(latency);
                List<Double> alone = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    alone.add(classify(http, service.base(), "alone-" + r, small));
                }
                String job = submit(http, service.base(), jobItems);
                long since = System.nanoTime();
                org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)) // the job is running at full width
                        .until(() -> fake.callsFor("job-item").size() >= slots * 4);
                List<Double> shared = new ArrayList<>();
                List<Integer> jobCalls = new ArrayList<>();
                // the client's own schedule: each request starts gap-ms after the one before it was answered
                java.util.concurrent.Executor later = java.util.concurrent.CompletableFuture.delayedExecutor(gapMs,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                for (int r = 0; r < rounds; r++) {
                    String name = "beside-" + r;
                    java.util.concurrent.CompletableFuture<Void> round = java.util.concurrent.CompletableFuture.runAsync(() -> {
                        int before = fake.callsFor("job-item").size();
                        shared.add(classifyUnchecked(http, service.base(), name, small));
                        jobCalls.add(fake.callsFor("job-item").size() - before);
                    }, r == 0 ? Runnable::run : later);
                    round.join();
                }
                report(alone, shared, jobCalls, latency, jobItems, small, slots, job,
                        fake.callsFor("job-item").size(), (System.nanoTime() - since) / 1e9);
            }
        }
    }

    private static double classifyUnchecked(HttpClient http, URI base, String name, int items) {
        try {
            return classify(http, base, name, items);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** B's request, answered whole; its wall time in seconds. */
    private static double classify(HttpClient http, URI base, String name, int items) throws Exception {
        StringBuilder body = new StringBuilder("{\"taxonomy\":" + TAXONOMY + ",\"items\":[");
        for (int i = 0; i < items; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(name).append('-').append(i)
                    .append("\",\"name\":\"").append(name).append(" item ").append(i).append("\"}");
        }
        long start = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/classifications"))
                .header("Content-Type", "application/json").header("X-API-Key", KEY_B)
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || answer.body().split("\"status\":\"ok\"", -1).length - 1 != items) {
            throw new IllegalStateException("B's request answered " + answer.statusCode() + ": " + answer.body());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static String submit(HttpClient http, URI base, int items) throws Exception {
        StringBuilder body = new StringBuilder("{\"taxonomy\":" + TAXONOMY + ",\"items\":[");
        for (int i = 0; i < items; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"j").append(i).append("\",\"name\":\"job-item ").append(i).append("\"}");
        }
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/jobs"))
                .header("Content-Type", "application/json").header("X-API-Key", KEY_A)
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("A's job answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.headers().firstValue("Location").orElseThrow();
    }

    private static void report(List<Double> alone, List<Double> shared, List<Integer> jobCalls, Duration latency,
            int jobItems, int small, int slots, String job, int jobCallsTotal, double jobSeconds) {
        double l = latency.toMillis() / 1000.0;
        System.out.println(String.format(Locale.ROOT, "tenant A: a job of %d items; tenant B: %d requests of %d items; "
                + "fake latency %d ms; %d slots%n", jobItems, shared.size(), small, latency.toMillis(), slots));
        System.out.println("| B's request | alone s | alone in latencies | beside A's job s | beside A's job in latencies | A's calls meanwhile |");
        System.out.println("|---|---|---|---|---|---|");
        for (int r = 0; r < shared.size(); r++) {
            System.out.println(String.format(Locale.ROOT, "| %d | %.2f | %.1f | %.2f | %.1f | %d |", r + 1, alone.get(r),
                    alone.get(r) / l, shared.get(r), shared.get(r) / l, jobCalls.get(r)));
        }
        System.out.println(String.format(Locale.ROOT, "%nA's job (%s): %d calls in the %.1f s measured", job,
                jobCallsTotal, jobSeconds));
    }

    private static String sha256(String key) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
