package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Serves test photos on 127.0.0.1: plain, redirecting, or hanging until closed. */
public final class PhotoServer implements AutoCloseable {

    private record Answer(int status, byte[] body, String contentType, String location, boolean hang) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger inProgress = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
    private volatile java.time.Duration latency = java.time.Duration.ZERO;

    public PhotoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String serve(String path, byte[] body, String contentType) {
        answers.put(path, new Answer(200, body, contentType, null, false));
        return base() + path;
    }

    public String redirect(String path, String location) {
        answers.put(path, new Answer(302, new byte[0], null, location, false));
        return base() + path;
    }

    /** Every answer waits this long before it starts, as a slow image host does. */
    public void latency(java.time.Duration latency) {
        this.latency = latency;
    }

    /** The most requests it was answering at once. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** Sends headers, then nothing, until the server closes. */
    public String hang(String path) {
        answers.put(path, new Answer(200, new byte[0], "image/jpeg", null, true));
        return base() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostAtOnce.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        try (exchange) {
            Thread.sleep(latency);
            Answer answer = answers.get(exchange.getRequestURI().getPath());
            if (answer == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (answer.location() != null) {
                exchange.getResponseHeaders().add("Location", answer.location());
            }
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            }
            if (answer.hang()) {
                exchange.sendResponseHeaders(200, 0);
                closing.await(60, TimeUnit.SECONDS);
                return;
            }
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inProgress.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
