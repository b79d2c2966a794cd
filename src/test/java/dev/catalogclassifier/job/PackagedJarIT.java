package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
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
