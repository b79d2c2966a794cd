package dev.catalogclassifier.deploy;

import static dev.catalogclassifier.deploy.Manifests.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Helm chart in {@code helm/catalog-classifier}, linted and rendered by Helm itself, in-process (helm-java):
 * it renders the same objects as {@code k8s/}, passes the same checks against the running service, and its
 * values schema refuses what would break a deployment.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class HelmChartTest {

    static final Path CHART = Path.of("helm", "catalog-classifier");
    private static final ObjectMapper JSON = new ObjectMapper();
    // helm template assumes 1.20 without it, below the chart's kubeVersion
    private static final String KUBE_VERSION = "1.31.0";

    @Test
    void theChartPassesHelmLintInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void itRendersTheSameObjectsAsThePlainManifests() throws Exception {
        List<JsonNode> kedaChart = Manifests.parse(render(t -> t.set("autoscaling.enabled", false).set("keda.enabled", true)))
                .stream().map(Manifests::withoutLabels).toList();
        List<JsonNode> hpaChart = Manifests.parse(render(UnaryOperator.identity()))
                .stream().map(Manifests::withoutLabels).toList();
        for (JsonNode object : K8sManifestsTest.all().stream().map(Manifests::withoutLabels).toList()) {
            List<JsonNode> rendered = "ScaledObject".equals(object.path("kind").asText()) ? kedaChart : hpaChart;
            JsonNode same = rendered.stream().filter(d -> d.path("kind").equals(object.path("kind"))
                    && d.at("/metadata/name").equals(object.at("/metadata/name"))).findFirst().orElse(null);
            assertThat(same).as(object.path("kind") + " " + object.at("/metadata/name")).isEqualTo(object);
        }
        JsonNode dashboard = only(hpaChart.stream().filter(d -> d.at("/metadata/name").asText().endsWith("-dashboard")).toList(), "ConfigMap");
        assertThat(JSON.readTree(dashboard.at("/data/catalog-classifier.json").asText()))
                .isEqualTo(JSON.readTree(K8sManifestsTest.read(K8sManifestsTest.K8S.resolve("grafana-dashboard.json"))));
    }

    @Test
    void everyMetricTheRenderedScalersAndDashboardUseIsPublished() {
        String rendered = render(UnaryOperator.identity()) + render(t -> t.set("autoscaling.enabled", false).set("keda.enabled", true));
        var used = Manifests.metricsUsedIn(rendered);
        assertThat(used).contains("classifier_items_in_flight", "classifier_job_items_queued", "classifier_llm_calls_total");
        Manifests.assertPublished(used);
    }

    @Test
    void theRenderedPodAnswersItsProbesRunsLockedDownDrainsAndReadsItsSettings() throws Exception {
        Path values = Files.createTempFile("values", ".yaml");
        Files.writeString(values, "provider:\n  models: [gpt-4o-mini, gpt-4.1-nano]\n  maxRetries: 5\n");
        List<JsonNode> docs = Manifests.parse(render(t -> t.set("shutdown.timeoutSeconds", 90).withValuesFile(values)));
        JsonNode deployment = only(docs, "Deployment");
        Manifests.assertProbesAnswer(deployment);
        JsonNode config = docs.stream().filter(d -> d.has("data") && d.at("/data/QUARKUS_PROFILE").isTextual())
                .findFirst().orElseThrow();
        Manifests.assertLockedDownAndDraining(deployment, config);
        Manifests.assertJvmSized(deployment);
        Manifests.assertEveryEntryIsRead(config);
        assertThat(config.at("/data/CLASSIFIER_LLM_MODELS").asText()).isEqualTo("gpt-4o-mini,gpt-4.1-nano");
        assertThat(config.at("/data/CLASSIFIER_MAX_RETRIES").asText()).isEqualTo("5");
        assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(5 + 90 + 15);
    }

    @Test
    void noSecretIsRenderedWhateverTheValues() {
        String rendered = render(t -> t.set("secret.name", "shop-secrets").set("rabbitmq.enabled", false)
                .set("keda.enabled", true).set("autoscaling.enabled", false));
        List<JsonNode> docs = Manifests.parse(rendered);
        Manifests.assertNoSecrets(docs, rendered);
        JsonNode env = only(docs, "Deployment").at("/spec/template/spec/containers/0/env");
        assertThat(env.findValuesAsText("name")).contains("OPENAI_API_KEY", "QUARKUS_DATASOURCE_PASSWORD")
                .doesNotContain("RABBITMQ_PASSWORD");
        assertThat(env.findValues("secretKeyRef")).allSatisfy(ref -> assertThat(ref.path("name").asText()).isEqualTo("shop-secrets"));
    }

    @Test
    void autoscalingIsEitherTheHpaOrKedaAndOtherwiseFixedReplicas() {
        List<JsonNode> hpa = Manifests.parse(render(UnaryOperator.identity()));
        assertThat(only(hpa, "HorizontalPodAutoscaler").at("/spec/metrics/0/external/metric/name").asText())
                .isEqualTo("classifier_job_items_queued");
        assertThat(only(hpa, "HorizontalPodAutoscaler").at("/spec/metrics/0/external/target/averageValue").asText())
                .isEqualTo("2000");
        assertThat(only(hpa, "Deployment").at("/spec/replicas").isMissingNode()).as("the HPA owns replicas").isTrue();

        List<JsonNode> fixed = Manifests.parse(render(t -> t.set("autoscaling.enabled", false).set("replicaCount", 3)));
        assertThat(fixed).noneMatch(d -> d.path("kind").asText().matches("HorizontalPodAutoscaler|ScaledObject"));
        assertThat(only(fixed, "Deployment").at("/spec/replicas").asInt()).isEqualTo(3);

        assertThatThrownBy(() -> render(t -> t.set("keda.enabled", true)))
                .hasMessageContaining("keda.enabled and autoscaling.enabled");
    }

    @Test
    void theValuesSchemaRefusesWhatWouldBreakOrLeak() {
        Map<String, Object> bad = Map.of(
                "database.url", "postgresql://catalog:hunter2@db:5432/catalog",
                "extraEnv.OPENAI_API_KEY", "sk-from-values",
                "autoscaling.minReplicas", 0,
                "image.pullPolicy", "Sometimes",
                "podSecurityContext.runAsNonRoot", false);
        bad.forEach((key, value) -> assertThatThrownBy(() -> render(t -> t.set(key, value)))
                .as(key).hasMessageContaining("values don't meet the specifications of the schema"));
    }

    private static String render(UnaryOperator<TemplateCommand> values) {
        return values.apply(new Helm(CHART).template().withName("catalog-classifier").withNamespace("catalog")
                .withKubeVersion(KUBE_VERSION)).call();
    }
}
