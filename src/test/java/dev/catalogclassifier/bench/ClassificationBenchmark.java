package dev.catalogclassifier.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.catalogclassifier.testsupport.FakeOpenAi;

/**
 * Runs the packaged service against {@link FakeOpenAi} at a fixed provider latency, once per configuration,
 * and prints a Markdown table. Invoked by {@code bench/run.sh}; see {@code docs/benchmarks.md}.
 * <p>
 * Each configuration gets a fresh service process, so peak RSS (VmHWM) belongs to that run alone.
 */
public final class ClassificationBenchmark {

    private static final String TAXONOMY = "[\"Sofas & armchairs\",\"Beds\",\"Chairs\",\"Tables & desks\","
            + "\"Bookcases & shelving units\",\"Wardrobes\",\"Outdoor furniture\",\"Children's furniture\"]";
    private static final String[] PRODUCTS = {"3-seat sofa", "Armchair", "Bed frame", "Chair", "Desk",
        "Bookcase", "Wardrobe", "Outdoor lounger", "Children's bed", "Dining table"};

    private ClassificationBenchmark() {
    }

    /** {@code <quarkus-run.jar> <items> <latency-ms> <per-request> <label=ENV=value|label> …}. */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int items = Integer.parseInt(args[1]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[2]));
        int perRequest = Integer.parseInt(args[3]);
        List<RunReport> reports = new ArrayList<>();
        try (FakeOpenAi fake = new FakeOpenAi(0)) {
            for (int i = 4; i < args.length; i++) {
                Config config = Config.parse(args[i]);
                fake.reset();
                fake.latency(latency);
                System.err.printf("== %s: %d items, provider latency %d ms%n", config.label, items, latency.toMillis());
                reports.add(runOne(jar, fake, config, items, perRequest, latency));
                System.err.println(reports.getLast().row());
            }
        }
        System.out.println(RunReport.table(reports));
    }

    private static RunReport runOne(Path jar, FakeOpenAi fake, Config config, int items, int perRequest,
            Duration latency) throws Exception {
        int port = freePort();
        Process service = start(jar, fake, config, port);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitReady(base, service);
            Load.run(base, 20, 20, TAXONOMY, PRODUCTS); // warm-up: class loading and JIT, not measured
            fake.reset();
            fake.latency(latency);
            Load.Result result = Load.run(base, items, perRequest, TAXONOMY, PRODUCTS);
            return RunReport.of(config.label, result, latency, fake.maxConcurrent(), peakRssKb(service));
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    private static Process start(Path jar, FakeOpenAi fake, Config config, int port) throws IOException {
        Path log = Files.createDirectories(Path.of("target", "bench")).resolve(config.label + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("OPENAI_BASE_URL", fake.baseUrl());
        env.put("OPENAI_API_KEY", "bench-key-1");
        env.put("CLASSIFIER_REQUESTS_MAX_ITEMS", "1000");
        env.putAll(config.env);
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(URI base, Process service) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/q/health/ready")).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline && service.isAlive()) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the port is not open yet
            }
            Thread.sleep(100); // polling a process we do not control; no event to wait on
        }
        throw new IllegalStateException("service did not become ready; see target/bench/*.log");
    }

    /** VmHWM: the process's peak resident set, from Linux's own accounting. */
    private static long peakRssKb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code label} or {@code label=NAME=value,NAME=value}: extra environment for the service. */
    record Config(String label, Map<String, String> env) {
        static Config parse(String arg) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                return new Config(arg, Map.of());
            }
            Map<String, String> env = new HashMap<>();
            for (String pair : arg.substring(eq + 1).split(",")) {
                String[] kv = pair.split("=", 2);
                env.put(kv[0], kv[1]);
            }
            return new Config(arg.substring(0, eq), env);
        }
    }
}
