package dev.catalogclassifier.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.ServiceProcess;

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

    /**
     * Items sent before the measured ones and not measured, at the measured run's request size: 20 loads the
     * classes; some thousands also let the JIT compile the hot path, as on a service that has been up a while.
     */
    private static final int WARM_UP = Integer.getInteger("bench.warm-up", 20);
    /** Text items per model call the requests ask for ({@code "pack"}); 1 sends none and each item alone. */
    private static final int PACK = Integer.getInteger("bench.pack", 1);
    /** Requests a minute the fake provider allows the key; 0: no limit, and no {@code x-ratelimit-*} headers. */
    private static final long LIMIT_PER_MINUTE = Long.getLong("bench.limit-per-minute", 0);
    /**
     * How the fake states and enforces that limit: {@code FULL} is OpenAI's bucket, which starts full (a run shorter
     * than a minute never meets it); {@code LIMIT_ONLY} and {@code NONE} enforce it over every second, so the
     * service must pace near a sixtieth of it from the start.
     */
    /**
     * Whether the measured run waits, after the warm-up, for the service's JIT compiler to go quiet (under 20 ms of
     * its CPU in a second, a minute at most): an idle service that has been up a while is not still compiling what
     * the warm-up made hot. Off, the measured run starts at once, as in every pass before this flag.
     */
    private static final boolean QUIET_COMPILER = Boolean.getBoolean("bench.quiet-compiler");
    private static final FakeOpenAi.Headers LIMIT_STYLE =
            FakeOpenAi.Headers.valueOf(System.getProperty("bench.limit-style", "LIMIT_ONLY"));

    /**
     * {@code <quarkus-run.jar> <items> <latency-ms> <per-request> <label=ENV=value|label> …}; system properties
     * {@code bench.warm-up}, {@code bench.pack}, {@code bench.limit-per-minute} and {@code bench.limit-style}.
     */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int items = Integer.parseInt(args[1]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[2]));
        int perRequest = Integer.parseInt(args[3]);
        List<RunReport> reports = new ArrayList<>();
        try (FakeOpenAi fake = new FakeOpenAi(0)) {
            for (int i = 4; i < args.length; i++) {
                Config config = Config.parse(args[i]);
                provider(fake, latency);
                System.err.printf("== %s: %d items, provider latency %d ms%n", config.label, items, latency.toMillis());
                reports.add(runOne(jar, fake, config, items, perRequest, latency));
                System.err.println(reports.getLast().row());
            }
        }
        System.out.println(RunReport.table(reports));
    }

    private static RunReport runOne(Path jar, FakeOpenAi fake, Config config, int items, int perRequest,
            Duration latency) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("OPENAI_BASE_URL", fake.baseUrl(),
                "OPENAI_API_KEY", "bench-key-1", "CLASSIFIER_REQUESTS_MAX_ITEMS", "1000",
                // measures the LLM path: the cascade would settle some items locally
                "CLASSIFIER_LOCAL_CASCADE_BY_DEFAULT", "false"));
        env.putAll(config.env);
        try (ServiceProcess service = ServiceProcess.start(jar, env, Path.of("target", "bench", config.label + ".log"))) {
            service.awaitOk("/q/health/ready");
            Load.run(service.base(), WARM_UP, Math.min(WARM_UP, perRequest), TAXONOMY, PRODUCTS, PACK); // not measured
            provider(fake, latency);
            if (QUIET_COMPILER) {
                awaitQuietCompiler(service);
            }
            long serviceCpu = service.cpuNanos();
            long jitCpu = service.jitCpuNanos();
            long ownCpu = ownCpuNanos();
            Load.Result result = Load.run(service.base(), items, perRequest, TAXONOMY, PRODUCTS, PACK);
            // where the machine's time went: the service (and how much of that its JIT compiler took, which a short
            // run after a start is mostly), or this process (the fake provider and the clients)
            System.err.printf(java.util.Locale.ROOT,
                    "CPU per item (%s): service %.2f ms (JIT compiler %.2f ms of it), fake provider and clients %.2f ms%n",
                    config.label, (service.cpuNanos() - serviceCpu) / 1e6 / items,
                    (service.jitCpuNanos() - jitCpu) / 1e6 / items, (ownCpuNanos() - ownCpu) / 1e6 / items);
            return RunReport.of(config.label, result, latency, fake.maxConcurrent(), service.peakRssKb());
        }
    }

    private static void awaitQuietCompiler(ServiceProcess service) throws Exception {
        long start = System.nanoTime();
        long before = service.jitCpuNanos();
        do {
            Thread.sleep(1_000); // a benchmark's pause between phases, measured by the compiler's CPU over it
            long now = service.jitCpuNanos();
            if (now - before < 20_000_000L) {
                break;
            }
            before = now;
        } while (System.nanoTime() - start < 60_000_000_000L);
        System.err.printf("the JIT compiler went quiet %.1f s after the warm-up%n", (System.nanoTime() - start) / 1e9);
    }

    /** A fresh fake answering in {@code latency}, limited and stating it if {@code bench.limit-per-minute} says so. */
    private static void provider(FakeOpenAi fake, Duration latency) {
        fake.reset();
        fake.latency(latency);
        if (LIMIT_PER_MINUTE > 0) {
            fake.limitRequests(LIMIT_PER_MINUTE, Duration.ofMinutes(1), LIMIT_STYLE, Duration.ofSeconds(1));
        } else {
            fake.noLimit();
        }
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
