package dev.catalogclassifier.shutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.problem.RouteProblems;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The gate in front of {@code /api} on a real Vert.x server: open until the pod is stopping, then, once the delay
 * has passed, every new API request is a 503 problem that closes its connection, while {@code /q} (health probes)
 * still answers. On the packaged jar Quarkus also closes its listener then ({@code GracefulShutdownIT}); this is
 * what a request that still reaches the pod gets.
 */
class DrainingTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Vertx vertx;
    private HttpServer server;
    private Draining draining;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        draining = new Draining(Optional.of(Duration.ofMillis(300)));
        Router router = Router.router(vertx);
        draining.gate(router, new RouteProblems(new ObjectMapper()));
        router.route().handler(context -> context.response().end("served"));
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    @Test
    void newApiRequestsAreRefusedWithAProblemOnceTheDelayHasPassed() throws Exception {
        assertThat(get("/api/v1/jobs").statusCode()).isEqualTo(200);

        draining.delayStarted(null);
        assertThat(get("/api/v1/jobs").statusCode()).as("during the delay the load balancer still sends").isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/jobs").statusCode() == 503);

        HttpResponse<String> refused = get("/api/v1/classifications");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("/stopping").contains("another instance");
        assertThat(get("/q/health/live").body()).as("probes still answer").isEqualTo("served");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
