package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.OwnBroker;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The broker restarts in the middle of a job (a RabbitMQ node of the test's own, never the machine's): the packaged
 * service reconnects, and the job completes with one result per item, none lost.
 */
class BrokerRestartIT {

    private static final int ITEMS = 1_500;

    static EmbeddedPostgres postgres;
    static FakeOpenAi fake;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        fake = new FakeOpenAi(0);
        fake.latency(Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() throws IOException {
        fake.close();
        postgres.close();
    }

    @Test
    void aJobOutlivesABrokerRestart() throws Exception {
        Assumptions.assumeTrue(RabbitMqJobTest.brokerReachableOrRequired(),
                "no rabbitmq-server here; CI sets CLASSIFIER_REQUIRE_RABBITMQ=true so it runs there");
        try (OwnBroker broker = new OwnBroker()) {
            broker.start();
            Map<String, String> env = ServiceProcess.env(postgres, "QUARKUS_PROFILE", "prod,rabbitmq",
                    "RABBITMQ_PORT", String.valueOf(broker.port()), "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key",
                    "CLASSIFIER_MAX_CONCURRENT_CALLS", "16", "CLASSIFIER_CACHE_ENABLED", "false");
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "broker-restart-it", "service.log"))) {
                service.awaitOk("/api/v1/jobs");
                String id = JobsApi.submit(service.base(), ITEMS, i -> "MALM bed " + i + " broker");
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                        .until(() -> done(service.base(), id) >= ITEMS * 3 / 10);
                broker.stop();
                int doneWhileDown = done(service.base(), id);
                broker.start();
                await().atMost(Duration.ofMinutes(4)).until(() -> "completed".equals(job(service.base(), id).path("status").asText()));
                assertEveryItemHasExactlyOneResult(service.base(), id);
                System.out.printf("BrokerRestartIT: %d items, %d done when the broker stopped, %d calls (%d made twice)%n",
                        ITEMS, doneWhileDown, fake.calls().size(), fake.calls().size() - ITEMS);
            }
        }
    }

    private static void assertEveryItemHasExactlyOneResult(URI base, String id) throws Exception {
        Set<Integer> indexes = new HashSet<>();
        for (int offset = 0; offset < ITEMS; offset += 1000) {
            JsonNode page = JobsApi.get(base, "/api/v1/jobs/" + id + "/results?limit=1000&offset=" + offset);
            assertThat(page.path("total").asInt()).isEqualTo(ITEMS);
            page.path("items").forEach(item -> {
                assertThat(item.path("status").asText()).as(item.toString()).isEqualTo("ok");
                indexes.add(item.path("index").asInt());
            });
        }
        assertThat(indexes).hasSize(ITEMS);
    }

    private static int done(URI base, String id) throws Exception {
        return ITEMS - job(base, id).path("counts").path("queued").asInt(ITEMS);
    }

    private static JsonNode job(URI base, String id) throws Exception {
        return JobsApi.get(base, "/api/v1/jobs/" + id);
    }
}
