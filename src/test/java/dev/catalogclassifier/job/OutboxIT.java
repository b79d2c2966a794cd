package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;


import dev.catalogclassifier.testsupport.ServiceProcess;

/**
 * The broker's transactional outbox on the packaged jar: a pod killed with {@code kill -9} while it publishes a
 * 20,000-item job (after the commit, before the broker has confirmed every message) leaves unpublished items; the
 * pod started again publishes them once the dead one's lease has expired, and the job completes with one result
 * per item. Without the outbox those items would stay queued forever.
 */
class OutboxIT extends PackagedJarIT {

    private static final int ITEMS = 20_000;

    @Test
    void aPodKilledWhilePublishingLosesNoItem() throws Exception {
        assumeBroker();
        String queue = "catalog-classifier.job-items.outbox-it-" + UUID.randomUUID();
        Map<String, String> env = ServiceProcess.env(postgres, "QUARKUS_PROFILE", "prod,rabbitmq",
                "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key", "CLASSIFIER_JOBS_QUEUE", queue,
                "CLASSIFIER_JOBS_LEASE_TTL", "6s", "CLASSIFIER_JOBS_LEASE_RENEW", "1s", "CLASSIFIER_CACHE_ENABLED", "false",
                "CLASSIFIER_REVIEW_LOCAL_CHECK", "false" /* see PackagedJarIT.leasedPod */);
        Path log = Path.of("target", "outbox-it", "service.log");
        try {
            ServiceProcess first = ServiceProcess.start(ServiceProcess.JAR, env, log);
            first.awaitOk("/api/v1/jobs");
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(first.base().resolve("/api/v1/jobs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body())).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5)).until(() -> count("SELECT count(*) FROM job") > 0);
            first.kill(); // committed, and publishing
            long unpublished = count("SELECT count(*) FROM job_item WHERE NOT published");
            assertThat(unpublished).as("items the broker had not confirmed at the kill").isPositive();
            String id = one("SELECT id FROM job");

            try (ServiceProcess second = ServiceProcess.start(ServiceProcess.JAR, env, log)) {
                second.awaitOk("/api/v1/jobs");
                await().atMost(Duration.ofMinutes(4)).until(() -> "completed".equals(job(second.base(), id).path("status").asText()));
                assertEveryItemHasExactlyOneResult(second.base(), id, ITEMS);
                System.out.printf("OutboxIT: %d items, %d unpublished at the kill, %d calls (%d made twice)%n", ITEMS,
                        unpublished, fake.calls().size(), fake.calls().size() - ITEMS);
                // no item is left queued without a message (an item answered before its mark needs none)
                assertThat(count("SELECT count(*) FROM job_item WHERE status = 'queued'")).isZero();
            }
        } finally {
            dev.catalogclassifier.testsupport.MachineBroker.deleteQueue(queue);
        }
    }

    private static String body() {
        return "{\"classifier\": \"llm\", \"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [" + IntStream.range(0, ITEMS)
                .mapToObj(i -> "{\"id\": \"sku-" + i + "\", \"name\": \"MALM bed " + i + " outbox\"}")
                .collect(Collectors.joining(",")) + "]}";
    }

    private static long count(String sql) throws Exception {
        return Long.parseLong(one(sql));
    }

    private static String one(String sql) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
