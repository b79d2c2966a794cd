package dev.catalogclassifier.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

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

    private static final Path K8S = Path.of("k8s");
    private static final Pattern METRIC = Pattern.compile("\\bclassifier_[a-z_]+");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyMetricTheScalersAndTheDashboardUseIsPublished() throws IOException {
        String published = given().accept("text/plain").get("/q/metrics").asString();
        Set<String> used = new TreeSet<>();
        for (String file : List.of("hpa.yaml", "prometheus-adapter-rules.yaml", "keda-scaledobject.yaml", "grafana-dashboard.json")) {
            Matcher m = METRIC.matcher(Files.readString(K8S.resolve(file)));
            while (m.find()) {
                used.add(m.group().replaceFirst("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(used).contains("classifier_items_in_flight", "classifier_job_items_queued", "classifier_llm_calls_total");
        assertThat(used).allSatisfy(metric -> assertThat(published).as("/q/metrics").containsPattern("(?m)^" + metric + "[{ _]"));
    }

    @Test
    void everyProbePathAnswers() throws IOException {
        JsonNode container = documents("deployment.yaml").getFirst().at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = container.path(probe).at("/httpGet/path").asText();
            assertThat(path).as(probe).startsWith("/q/health");
            given().get(path).then().statusCode(200);
        }
    }

    @Test
    void thePodRunsLockedDownAndDrainsBeforeItIsKilled() throws IOException {
        JsonNode pod = documents("deployment.yaml").getFirst().at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
        assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
        String config = Files.readString(K8S.resolve("configmap.yaml"));
        int drain = seconds(config, "CLASSIFIER_SHUTDOWN_DELAY") + seconds(config, "CLASSIFIER_SHUTDOWN_TIMEOUT");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).as("grace period over delay + drain").isGreaterThan(drain);
    }

    @Test
    void noSecretIsWrittenIntoTheManifests() throws IOException {
        for (JsonNode doc : all()) {
            assertThat(doc.path("kind").asText()).as("no Secret objects: they are created outside").isNotEqualTo("Secret");
            for (JsonNode env : doc.findValues("env")) {
                env.forEach(var -> {
                    if (var.path("name").asText().matches(".*(KEY|PASSWORD|TOKEN|SECRET).*")) {
                        assertThat(var.has("value")).as(var.path("name").asText() + " by reference only").isFalse();
                        assertThat(var.at("/valueFrom/secretKeyRef/name").asText()).isNotEmpty();
                    }
                });
            }
            doc.findValues("data").forEach(data -> data.fieldNames().forEachRemaining(key ->
                    assertThat(key).as("ConfigMap key").doesNotContainPattern("(?i)(key|password|token|secret)$")));
        }
        try (Stream<Path> files = Files.list(K8S)) {
            files.forEach(f -> assertThat(read(f)).as(f.toString()).doesNotContainPattern("sk-[A-Za-z0-9]{8,}"));
        }
    }

    private static int seconds(String config, String key) {
        Matcher m = Pattern.compile(key + ": (\\d+)s").matcher(config);
        assertThat(m.find()).as(key).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static List<JsonNode> all() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                docs.addAll(documents(f.getFileName().toString()));
            }
        }
        return docs;
    }

    private static List<JsonNode> documents(String file) throws IOException {
        try (var parser = YAML.getFactory().createParser(K8S.resolve(file).toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
