package dev.catalogclassifier.batchapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A batch-api job survives {@code kill -9} of the packaged service while its batch runs at the provider: the
 * restarted service polls the stored batch instead of uploading and submitting the job again.
 */
class BatchApiRestartIT {

    private static final int ITEMS = 60;

    @Test
    void aRestartResumesPollingTheStoredBatchInsteadOfSubmittingAgain() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = ServiceProcess.env(postgres,
                    "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key",
                    "CLASSIFIER_BATCH_API_TICK", "1s", "CLASSIFIER_BATCH_API_FIRST_POLL_INTERVAL", "100ms",
                    "CLASSIFIER_BATCH_API_MAX_POLL_INTERVAL", "300ms",
                    // the kill may land while the first pod holds its claim on the batch: let it lapse quickly
                    "CLASSIFIER_BATCH_API_CLAIM_FOR", "3s");
            Path log = Path.of("target", "batch-api-it", "service.log");
            fake.batchApi().hold();

            ServiceProcess first = ServiceProcess.start(ServiceProcess.JAR, env, log);
            first.awaitOk("/api/v1/jobs");
            String id = JobsApi.submit(first.base(), ITEMS, i -> "MALM bed " + i, "batch-api");
            await().atMost(Duration.ofSeconds(60)).until(() -> fake.batchApi().batchStatuses().contains("in_progress"));
            first.kill();
            int pollsBeforeKill = fake.batchApi().polls();

            try (ServiceProcess second = ServiceProcess.start(ServiceProcess.JAR, env, log)) {
                second.awaitOk("/api/v1/jobs");
                fake.batchApi().release();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> "completed".equals(JobsApi.get(second.base(), "/api/v1/jobs/" + id).path("status").asText()));

                JsonNode job = JobsApi.get(second.base(), "/api/v1/jobs/" + id);
                assertThat(job.path("counts").path("ok").asInt()).isEqualTo(ITEMS);
                assertThat(fake.batchApi().uploads()).as("the file was uploaded once").isEqualTo(1);
                assertThat(fake.batchApi().batchesCreated()).as("the batch was created once").isEqualTo(1);
                assertThat(fake.batchApi().polls()).as("the second service polled it").isGreaterThan(pollsBeforeKill);
            }
        }
    }
}
