package dev.catalogclassifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A first start says only what is so: the packaged service on a brand-new database, its callers configured (an API key)
 * and no provider key yet, logs no ERROR and no WARN, and says at INFO what answers without a key.
 */
class QuietStartIT {

    @Test
    void aCleanStartWithoutAKeyLogsNoErrorAndNoWarning() throws Exception {
        Path auth = Files.createDirectories(Path.of("target")).resolve("quiet-start-auth.properties");
        Files.writeString(auth, "classifier.auth.tenants.a.api-key-sha256="
                + "d675982d934c6819920ebba58c52d178d5a19e6761a28040092f704418d56c4e\n");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                ServiceProcess service = ServiceProcess.start(ServiceProcess.JAR, ServiceProcess.env(postgres,
                        "CLASSIFIER_AUTH", "required", "QUARKUS_CONFIG_LOCATIONS", auth.toAbsolutePath().toString()),
                        Path.of("target", "quiet-start.log"))) {
            service.awaitOk("/q/health/ready");
            // ready does not wait for the database: the start ends when the pod has registered, after the migrations
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                    .until(() -> service.logLines().stream().anyMatch(line -> line.contains("registered (leases expire")));
            List<String> lines = service.logLines();
            assertThat(lines).as("the start-up log").noneMatch(line -> line.contains(" ERROR ") || line.contains(" WARN "));
            assertThat(String.join("\n", lines)).contains("Callers must authenticate", "No model provider key is configured",
                    "classified by the in-process classifier", "answer 503");
        }
    }
}
