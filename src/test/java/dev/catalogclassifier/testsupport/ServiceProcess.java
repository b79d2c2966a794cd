package dev.catalogclassifier.testsupport;

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
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, for the benchmark and
 * for tests that must kill it. Its output goes to {@code target/<dir>/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /** Times a service is started again on a new port when another process took its port first. */
    private static final int PORT_ATTEMPTS = 3;

    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private URI base;
    /** Where this process's output starts in the log, which several processes may append to. */
    private long logFrom;

    private ServiceProcess(Path jar, Map<String, String> env, Path log) {
        this.jar = jar;
        this.env = env;
        this.log = log;
    }
    /**
     * The environment of a service on this embedded PostgreSQL, plus {@code more} as name, value, name, value …
     * (the service needs no other setting to start).
     */
    public static Map<String, String> env(EmbeddedPostgres postgres, String... more) {
        // no shutdown delay unless a test asks for one: no load balancer waits to take these pods out of its
        // endpoints, and every close would otherwise wait it out
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                "CLASSIFIER_SHUTDOWN_DELAY", "0s"));
        if (more.length % 2 != 0) {
            throw new IllegalArgumentException("name, value pairs expected");
        }
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return Map.copyOf(env);
    }

    /** Starts the jar with {@code env} added to this JVM's environment, on a free port. */
    public static ServiceProcess start(Path jar, Map<String, String> env, Path log) throws IOException {
        ServiceProcess service = new ServiceProcess(jar, env, log);
        service.launch();
        return service;
    }

    /** The command line that runs {@code jar} once with {@code args}, as a user would, started as the ITs' pods are. */
    public static List<String> command(Path jar, List<String> args) {
        return command(FastStart.forCommand(jar), jar, args);
    }

    private static List<String> command(FastStart fastStart, Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(fastStart.options());
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        return command;
    }

    private void launch() throws IOException {
        int port = freePort();
        FastStart fastStart = FastStart.forPod(jar);
        ProcessBuilder builder = new ProcessBuilder(command(fastStart, jar, List.of()));
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("CLASSIFIER_AUTH", "none"); // open, as the tests' services are; env may say otherwise
        builder.environment().putAll(env);
        Files.createDirectories(log.getParent());
        logFrom = Files.exists(log) ? Files.size(log) : 0;
        try {
            process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            fastStart.ended();
            throw e;
        }
        process.onExit().thenRun(fastStart::ended);
        base = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Whether the process ended because its port was taken: a free port is only free until the service binds it,
     * and on a busy machine another process may bind it first.
     */
    private boolean lostItsPort() throws IOException {
        if (process.isAlive() || !Files.exists(log)) {
            return false;
        }
        byte[] all = Files.readAllBytes(log);
        String own = new String(all, (int) Math.min(logFrom, all.length), (int) (all.length - Math.min(logFrom, all.length)));
        return own.contains("seems to be in use by another process");
    }

    /** This process's own lines of the log, which several processes may share. */
    public List<String> logLines() throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(logFrom, all.length);
        return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    public URI base() {
        return base;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code path} answers 200, or fails if the process dies or two minutes pass. A service that lost its
     * port to another process before binding it is started again on another.
     */
    public void awaitOk(String path) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).build();
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .failFast("the service process ended; see its log " + log, () -> !process.isAlive())
                        .ignoreExceptionsInstanceOf(IOException.class)
                        .until(() -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
                return;
            } catch (org.awaitility.core.TerminalFailureException e) {
                if (attempt == PORT_ATTEMPTS || !lostItsPort()) {
                    throw e;
                }
                launch();
            }
        }
    }

    /** CPU time the service process has used so far, all its threads: what a benchmark's items cost it. */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /**
     * The CPU time the JVM's JIT compiler threads have used, from Linux's per-thread accounting: part of
     * {@link #cpuNanos}, and a cost of the first minutes after a start rather than of each item (a short run's CPU
     * per item is mostly this until the hot code is compiled).
     */
    public long jitCpuNanos() throws IOException {
        long ticks = 0;
        try (var threads = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path thread : threads.toList()) {
                try {
                    if (!Files.readString(thread.resolve("comm")).contains("CompilerThre")) { // "C2 CompilerThre", cut by Linux
                        continue;
                    }
                    String stat = Files.readString(thread.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                } catch (java.nio.file.NoSuchFileException ended) {
                    // a compiler thread that ended between the listing and the read
                }
            }
        }
        return ticks * 10_000_000L; // Linux reports thread times in USER_HZ, 100 a second on every platform we run on
    }

    /** VmHWM: the process's peak resident set in kB, from Linux's own accounting. */
    public long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** SIGTERM, as Kubernetes sends first; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code, or null if it is still running after {@code wait}. */
    public Integer awaitExit(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** SIGKILL: no shutdown hooks, no draining, as when a node dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
