package dev.catalogclassifier.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.MachineBroker;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One durable job of {@code items} items against {@link FakeOpenAi} at a fixed latency, on the packaged
 * service with a real (embedded) PostgreSQL. Reports wall time against the ideal (items x latency /
 * concurrency), result rows stored per second and peak RSS. Invoked by {@code bench/jobs.sh}.
 */
public final class JobBenchmark {

    /** Whether to report PostgreSQL's statements after the run (pg_stat_statements in the embedded database). */
    private static final boolean STATEMENTS = Boolean.getBoolean("bench.statements");
    /** Requests a minute the fake allows, stated in full headers ({@code -Dbench.limit-per-minute}); 0: no limit. */
    private static final long LIMIT_PER_MINUTE = Long.getLong("bench.limit-per-minute", 0);

    private JobBenchmark() {
    }

    /**
     * {@code <items> <latency-ms> <concurrency> [service JVM options, e.g. -Xmx256m] [profile: prod, or
     * prod,rabbitmq for the broker on 127.0.0.1:5672, on a queue of this run's own]}.
     */
    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(args[0]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[1]));
        int concurrency = Integer.parseInt(args[2]);
        String jvm = args.length > 3 ? args[3] : "";
        String profile = args.length > 4 && !args[4].isBlank() ? args[4] : "prod";
        String queue = "catalog-classifier.job-items.bench-" + ProcessHandle.current().pid();
        try {
            run(items, latency, concurrency, jvm, profile, queue);
        } finally {
            if (profile.contains("rabbitmq")) {
                MachineBroker.deleteQueue(queue);
            }
        }
    }

    private static void run(int items, Duration latency, int concurrency, String jvm, String profile, String queue)
            throws Exception {
        EmbeddedPostgres.Builder database = EmbeddedPostgres.builder();
        if (STATEMENTS) {
            database.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        try (EmbeddedPostgres postgres = database.start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres,
                    "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "bench-key",
                    "CLASSIFIER_MAX_CONCURRENT_CALLS", String.valueOf(concurrency), "JAVA_TOOL_OPTIONS", jvm,
                    "QUARKUS_PROFILE", profile, "CLASSIFIER_JOBS_QUEUE", queue);
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "bench", "jobs.log"))) {
                service.awaitOk("/api/v1/jobs");
                fake.latency(latency);
                if (LIMIT_PER_MINUTE > 0) { // OpenAI's bucket and headers: results then trickle in at the limit's pace
                    fake.limitRequests(LIMIT_PER_MINUTE, Duration.ofMinutes(1));
                } else {
                    fake.noLimit(); // the service's own throughput, not a stated limit's (the fake's default is 30,000 a minute)
                }
                long start = System.nanoTime();
                long serviceCpu = service.cpuNanos();
                long jitCpu = service.jitCpuNanos();
                String id = JobsApi.submit(service.base(), items, i -> "Item " + i + ", 3-seat sofa");
                long accepted = System.nanoTime();
                JsonNode job = awaitFinished(service.base(), id);
                double wall = (System.nanoTime() - start) / 1e9;
                // where the machine's time went: what the service spent, against the wall time of 2 cores
                System.err.printf(Locale.ROOT,
                        "service CPU per item %.2f ms (JIT compiler %.2f ms of it); service used %.0f%% of the machine's cores%n",
                        (service.cpuNanos() - serviceCpu) / 1e6 / items, (service.jitCpuNanos() - jitCpu) / 1e6 / items,
                        100 * (service.cpuNanos() - serviceCpu) / 1e9 / wall / Runtime.getRuntime().availableProcessors());
                double ideal = items * latency.toMillis() / 1000.0 / concurrency;
                System.out.println(String.format(Locale.ROOT, "| %d%s | %d ms | %d | %.2f s | %.1f s | %.1f s | %.0f%% | %.0f | %d | %s | max concurrent calls %d |",
                        items, (jvm.isEmpty() ? "" : " (" + jvm + ")") + ("prod".equals(profile) ? "" : " " + profile), latency.toMillis(), concurrency, (accepted - start) / 1e9, wall, ideal, 100 * ideal / wall,
                        items / wall, service.peakRssKb() / 1024, job.path("counts"), fake.maxConcurrent()));
                if (STATEMENTS) {
                    printStatements(postgres, items);
                }
            }
        }
    }

    /**
     * The statements that took PostgreSQL's time over the run, the largest first, per item of the job: where the
     * database's share of the machine goes ({@code -Dbench.statements=true}).
     */
    private static void printStatements(EmbeddedPostgres postgres, int items) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            ResultSet rows = s.executeQuery("""
                    SELECT calls, total_exec_time, rows, (shared_blks_hit + shared_blks_read) / calls AS blocks,
                           left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query
                    FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12""");
            // blocks read per call tell an index lookup (a few) from a scan (the table's size)
            System.out.println("| statement | calls | ms in all | ms per item of the job | rows | blocks per call |");
            System.out.println("|---|---|---|---|---|---|");
            while (rows.next()) {
                System.out.printf(Locale.ROOT, "| `%s` | %d | %.0f | %.3f | %d | %d |%n", rows.getString("query"),
                        rows.getLong("calls"), rows.getDouble("total_exec_time"),
                        rows.getDouble("total_exec_time") / items, rows.getLong("rows"), rows.getLong("blocks"));
            }
        }
    }

    private static JsonNode awaitFinished(URI base, String id) {
        return Awaitility.await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> JobsApi.get(base, "/api/v1/jobs/" + id),
                        job -> !job.path("status").asText().matches("queued|running"));
    }
}
