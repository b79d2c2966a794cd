package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;
import dev.catalogclassifier.testsupport.SseClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two pods of the packaged service on one database: pod A works on a job, a browser follows it on pod B.
 * Pod B never looks at the database on its own (its poll interval is an hour), so every event after the first
 * look can only reach it through PostgreSQL's notifications.
 */
class JobEventsAcrossPodsIT {

    @Test
    void aSubscriberOnAnotherPodSeesEveryEventLive() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start(); FakeOpenAi fake = new FakeOpenAi(0)) {
            Map<String, String> env = new HashMap<>(ServiceProcess.env(postgres,
                    "OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "it-key"));
            Map<String, String> onlyNotified = new HashMap<>(env);
            onlyNotified.put("CLASSIFIER_JOBS_EVENTS_POLL", "1h");
            Path logs = Path.of("target", "events-it");
            try (ServiceProcess worker = ServiceProcess.start(ServiceProcess.JAR, env, logs.resolve("pod-a.log"));
                    ServiceProcess watcher = ServiceProcess.start(ServiceProcess.JAR, onlyNotified, logs.resolve("pod-b.log"))) {
                worker.awaitOk("/api/v1/jobs");
                watcher.awaitOk("/api/v1/jobs");

                String id = JobsApi.submit(worker.base(), 10, i -> "MALM bed " + i + (i < 5 ? "" : " [gate:later]"));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> JobsApi.get(worker.base(), "/api/v1/jobs/" + id).path("counts").path("ok").asInt() == 5);

                SseClient browser = SseClient.get(URI.create(watcher.base() + "/api/v1/jobs/" + id + "/events"), null);
                await().atMost(Duration.ofSeconds(30)).until(() -> browser.events("item").size() == 5);
                fake.open("later");

                await().atMost(Duration.ofSeconds(30)).until(browser::ended);
                assertThat(browser.events("item")).hasSize(10);
                assertThat(browser.events().getLast().name()).isEqualTo("status");
                assertThat(browser.events().getLast().data().path("status").asText()).isEqualTo("completed");
            }
        }
    }
}
