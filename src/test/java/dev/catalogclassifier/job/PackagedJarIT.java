package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What the tests of jobs on the packaged jar share: an embedded PostgreSQL and the fake provider for the whole class,
 * and how they read a job back from outside, as a user would.
 */
abstract class PackagedJarIT {

    static EmbeddedPostgres postgres;
    static FakeOpenAi fake;

    @BeforeAll
    static void startDatabaseAndProvider() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        fake = new FakeOpenAi(0);
    }

    @AfterAll
    static void stopDatabaseAndProvider() throws IOException {
        fake.close();
        postgres.close();
    }

    /**
     * A pod of a multi-pod test: {@code key} is its provider key (so the fake's calls say which pod made them), its
     * leases are short (6 s, renewed every second) so a killed pod's items move in seconds, and the result cache is
     * off so every item is asked. The review's local check is off too: it ranks every answered item with the
     * in-process model, an embedding each that doubles a pod's CPU per item (docs/benchmarks.md), and these tests are
     * about where items go, not how sure their answers are (ReviewTest and LearningAcrossPodsIT are).
     */
    static ServiceProcess leasedPod(String profile, String queue, String key, int callsAtOnce,
            Path log) throws IOException {
        String podName = log.getFileName().toString().replace(".log", "");
        return ServiceProcess.start(ServiceProcess.JAR,
                ServiceProcess.env(postgres, "QUARKUS_PROFILE", profile,
                        "CLASSIFIER_JOBS_QUEUE", queue, "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", key,
                        "CLASSIFIER_MAX_CONCURRENT_CALLS", String.valueOf(callsAtOnce), "CLASSIFIER_JOBS_LEASE_TTL", "6s",
                        "CLASSIFIER_JOBS_LEASE_RENEW", "1s", "CLASSIFIER_JOBS_POD_NAME", podName,
                        "CLASSIFIER_CACHE_ENABLED", "false", "CLASSIFIER_REVIEW_LOCAL_CHECK", "false"),
                log);
    }

    /** Runs the test only where RabbitMQ is (always in CI, which requires it). */
    static void assumeBroker() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.catalogclassifier.testsupport.MachineBroker.reachableOrRequired(),
                "no RabbitMQ on 127.0.0.1:5672; CI sets CLASSIFIER_REQUIRE_RABBITMQ=true so it runs there");
    }

    /** Every item of the job has one result, ok, under its own index and id. */
    static void assertEveryItemHasExactlyOneResult(URI base, String id, int items) throws Exception {
        Set<String> ids = new HashSet<>();
        Set<Integer> indexes = new HashSet<>();
        for (int offset = 0; offset < items; offset += 1000) {
            JsonNode page = JobsApi.get(base, "/api/v1/jobs/" + id + "/results?limit=1000&offset=" + offset);
            assertThat(page.path("total").asInt()).isEqualTo(items);
            page.path("items").forEach(item -> {
                assertThat(item.path("status").asText()).as(item.toString()).isEqualTo("ok");
                ids.add(item.path("id").asText());
                indexes.add(item.path("index").asInt());
            });
        }
        assertThat(ids).hasSize(items);
        assertThat(indexes).hasSize(items);
    }

    /** Items of the job no longer queued. */
    static int done(URI base, String id, int items) throws Exception {
        return items - job(base, id).path("counts").path("queued").asInt(items);
    }

    static JsonNode job(URI base, String id) throws Exception {
        return JobsApi.get(base, "/api/v1/jobs/" + id);
    }
}
