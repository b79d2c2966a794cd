package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * A RabbitMQ node of the test's own, on a free port with its own data directory, so a test may stop and start a
 * broker without touching the machine's (which other builds use). Debian's {@code rabbitmq-server} runs the node
 * as the {@code rabbitmq} user, so the directory is handed to it. Its data survive a stop: a durable queue and its
 * persistent messages are there again after {@link #start()}.
 */
public final class OwnBroker implements AutoCloseable {

    private final Path dir;
    private final String node;
    private final int port;

    public OwnBroker() throws IOException, InterruptedException {
        this.dir = Files.createTempDirectory("own-rabbitmq");
        this.port = freePort();
        this.node = "it" + port + "@localhost";
        Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("mnesia"));
        Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.default = 127.0.0.1:" + port + "\nloopback_users = none\n");
        run("chown", "-R", "rabbitmq:rabbitmq", dir.toString());
    }

    public int port() {
        return port;
    }

    /** Starts the node and waits until it takes connections. */
    public void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("rabbitmq-server").redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.out").toFile());
        Map<String, String> env = builder.environment();
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_NODENAME", node);
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_DIST_PORT", String.valueOf(port + 20000 > 65535 ? port - 20000 : port + 20000));
        env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
        env.put("RABBITMQ_FEATURE_FLAGS_FILE", dir.resolve("feature_flags").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        builder.start();
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(this::listening);
    }

    /** Stops the node (its data stay) and waits until its port is closed. */
    public void stop() throws IOException, InterruptedException {
        run("rabbitmqctl", "-n", node, "shutdown");
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> !listening());
    }

    public boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (listening()) {
            stop();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
