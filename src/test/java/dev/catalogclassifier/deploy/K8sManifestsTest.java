package dev.catalogclassifier.deploy;

import static dev.catalogclassifier.deploy.Manifests.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The plain manifests in {@code k8s/} against the service they deploy: every metric the HPA, the adapter rule,
 * KEDA and the dashboard use exists in {@code /q/metrics}, every probe path answers, and no secret is written in.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class K8sManifestsTest {

    static final Path K8S = Path.of("k8s");

    @Test
    void everyMetricTheScalersAndTheDashboardUseIsPublished() {
        Set<String> used = new TreeSet<>();
        for (String file : List.of("hpa.yaml", "prometheus-adapter-rules.yaml", "keda-scaledobject.yaml", "grafana-dashboard.json",
                "prometheusrule.yaml")) {
            used.addAll(Manifests.metricsUsedIn(read(K8S.resolve(file))));
        }
        assertThat(used).contains("classifier_items_in_flight", "classifier_job_items_queued", "classifier_llm_calls_total");
        Manifests.assertPublished(used);
    }

    /**
     * promtool reads the alert rules and runs their unit tests: a provider whose every key is unusable for 5 minutes,
     * and a job backlog no pod works on for 15, each fire; a backlog that is being worked does not.
     */
    @Test
    void theAlertRulesPassPromtoolAndFireWhenTheyShould() throws Exception {
        Path promtool = dev.catalogclassifier.testsupport.Promtool.require();
        Path rules = Path.of("helm", "catalog-classifier", "files", "alert-rules.yaml").toAbsolutePath();
        assertThat(run(promtool.toString(), "check", "rules", rules.toString())).contains("SUCCESS");
        Path tests = Files.createDirectories(Path.of("target")).resolve("alert-rules-test.yaml");
        Files.writeString(tests, read(Path.of("src", "test", "resources", "alert-rules-test.yaml"))
                .replace("RULES", rules.toString()));
        assertThat(run(promtool.toString(), "test", "rules", tests.toString())).contains("SUCCESS");
    }

    /** The command's output; a failure quotes it. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }

    @Test
    void everyProbePathAnswers() {
        Manifests.assertProbesAnswer(only(all(), "Deployment"));
    }

    @Test
    void thePodRunsLockedDownAndDrainsBeforeItIsKilled() {
        List<JsonNode> docs = all();
        JsonNode config = docs.stream().filter(d -> d.at("/metadata/name").asText().equals("catalog-classifier")
                && d.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        Manifests.assertLockedDownAndDraining(only(docs, "Deployment"), config);
        Manifests.assertJvmSized(only(docs, "Deployment"));
        Manifests.assertEveryEntryIsRead(config);
    }

    @Test
    void noSecretIsWrittenIntoTheManifests() {
        Manifests.assertNoSecrets(all(), String.join("\n", files().stream().map(K8sManifestsTest::read).toList()));
    }

    /** Every object of {@code k8s/}, the KEDA alternative included. */
    static List<JsonNode> all() {
        return files().stream().filter(f -> f.toString().endsWith(".yaml"))
                .flatMap(f -> Manifests.parse(read(f)).stream())
                .filter(doc -> !"Kustomization".equals(doc.path("kind").asText())).toList();
    }

    private static List<Path> files() {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
