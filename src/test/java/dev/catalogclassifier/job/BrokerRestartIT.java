package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;


import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.OwnBroker;
import dev.catalogclassifier.testsupport.ServiceProcess;

/**
 * The broker restarts in the middle of a job (a RabbitMQ node of the test's own, never the machine's): the packaged
 * service reconnects, and the job completes with one result per item, none lost.
 */
class BrokerRestartIT extends PackagedJarIT {

    private static final int ITEMS = 1_500;

    @Test
    void aJobOutlivesABrokerRestart() throws Exception {
        assumeBroker();
        fake.latency(Duration.ofMillis(100));
        try (OwnBroker broker = new OwnBroker()) {
            broker.start();
            Map<String, String> env = ServiceProcess.env(postgres, "QUARKUS_PROFILE", "prod,rabbitmq",
                    "RABBITMQ_PORT", String.valueOf(broker.port()), "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key",
                    "CLASSIFIER_MAX_CONCURRENT_CALLS", "16", "CLASSIFIER_CACHE_ENABLED", "false",
                    "CLASSIFIER_REVIEW_LOCAL_CHECK", "false"); // see PackagedJarIT.leasedPod
            try (ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "broker-restart-it", "service.log"))) {
                service.awaitOk("/api/v1/jobs");
                String id = JobsApi.submit(service.base(), ITEMS, i -> "MALM bed " + i + " broker");
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                        .until(() -> done(service.base(), id, ITEMS) >= ITEMS * 3 / 10);
                broker.stop();
                int doneWhileDown = done(service.base(), id, ITEMS);
                broker.start();
                await().atMost(Duration.ofMinutes(4)).until(() -> "completed".equals(job(service.base(), id).path("status").asText()));
                assertEveryItemHasExactlyOneResult(service.base(), id, ITEMS);
                System.out.printf("BrokerRestartIT: %d items, %d done when the broker stopped, %d calls (%d made twice)%n",
                        ITEMS, doneWhileDown, fake.calls().size(), fake.calls().size() - ITEMS);
            }
        }
    }
}
