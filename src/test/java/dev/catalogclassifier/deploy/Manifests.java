package dev.catalogclassifier.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Checks shared by the plain manifests ({@code k8s/}) and the Helm chart's rendered output: both must use only
 * metrics the service publishes, probe paths that answer, a locked-down pod that drains, and no secret literal.
 * The service is the {@code @QuarkusTest} application the calling test runs against.
 */
final class Manifests {

    private static final Pattern METRIC = Pattern.compile("\\bclassifier_[a-z_]+");
    private static final Pattern SECRET_LITERAL = Pattern.compile("sk-[A-Za-z0-9_-]{8,}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Read through Quarkus's and SmallRye's own environment-variable names rather than a ${…} reference. */
    private static final Pattern READ_BY_NAME =
            Pattern.compile("QUARKUS_PROFILE|QUARKUS_DATASOURCE_(REACTIVE_URL|USERNAME)|CLASSIFIER_LLM_MODELS");

    private Manifests() {
    }

    /** Every document of a multi-document YAML text, skipping empty ones. */
    static List<JsonNode> parse(String yaml) {
        try (var parser = YAML.getFactory().createParser(yaml)) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream()
                    .filter(doc -> doc != null && !doc.isNull() && !doc.isMissingNode()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.getFirst();
    }

    /** The service's metric names a text uses, with histogram suffixes folded into their metric. */
    static Set<String> metricsUsedIn(String text) {
        Set<String> used = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            used.add(m.group().replaceFirst("_(bucket|count|sum)$", ""));
        }
        return used;
    }

    static void assertPublished(Set<String> metrics) {
        String published = given().accept("text/plain").get("/q/metrics").asString();
        assertThat(metrics).allSatisfy(metric ->
                assertThat(published).as("/q/metrics").containsPattern("(?m)^" + metric + "[{ _]"));
    }

    static void assertProbesAnswer(JsonNode deployment) {
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = container.path(probe).at("/httpGet/path").asText();
            assertThat(path).as(probe).startsWith("/q/health");
            given().get(path).then().statusCode(200);
        }
    }

    /** Non-root, read-only root, memory bounded, and a grace period longer than the shutdown delay + drain. */
    static void assertLockedDownAndDraining(JsonNode deployment, JsonNode config) {
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
        assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
        int drain = seconds(config, "CLASSIFIER_SHUTDOWN_DELAY") + seconds(config, "CLASSIFIER_SHUTDOWN_TIMEOUT");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).as("grace period over delay + drain")
                .isGreaterThan(drain);
    }

    /**
     * What the rest of the process takes beside the heap and direct memory: metaspace, compiled code, thread stacks,
     * the ONNX runtime with the local model. Measured at 300-340 MB (Native Memory Tracking and RSS during a
     * 100,000-item job, docs/benchmarks.md); 384 MiB leaves room.
     */
    private static final long NON_HEAP = 384L << 20;
    private static final Pattern HEAP = Pattern.compile("-Xmx(\\d+)([kmg])", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIRECT = Pattern.compile("-XX:MaxDirectMemorySize=(\\d+)([kmg])", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUANTITY = Pattern.compile("(\\d+)(Mi|Gi)");

    /**
     * The JVM is sized for its container: the pod sets the heap and direct memory (the base image would take 80 % of
     * the limit for the heap alone), and both with the rest of the process fit under the memory limit.
     */
    static void assertJvmSized(JsonNode deployment) {
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        String options = "";
        for (JsonNode env : container.path("env")) {
            if ("JAVA_OPTS_APPEND".equals(env.path("name").asText())) {
                options = env.path("value").asText();
            }
        }
        long heap = bytes(HEAP.matcher(options), "-Xmx in JAVA_OPTS_APPEND: " + options);
        long direct = bytes(DIRECT.matcher(options), "-XX:MaxDirectMemorySize in JAVA_OPTS_APPEND: " + options);
        Matcher limit = QUANTITY.matcher(container.at("/resources/limits/memory").asText());
        assertThat(limit.matches()).as("memory limit in Mi or Gi: " + container.at("/resources/limits/memory")).isTrue();
        long limitBytes = Long.parseLong(limit.group(1)) << ("Gi".equals(limit.group(2)) ? 30 : 20);
        assertThat(heap + direct + NON_HEAP).as("heap %d + direct %d + the rest of the process %d, under the limit %d",
                heap, direct, NON_HEAP, limitBytes).isLessThanOrEqualTo(limitBytes);
    }

    private static long bytes(Matcher flag, String what) {
        assertThat(flag.find()).as(what).isTrue();
        int shift = switch (Character.toLowerCase(flag.group(2).charAt(0))) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
        };
        return Long.parseLong(flag.group(1)) << shift;
    }

    /** Every ConfigMap entry is a variable the service reads: a misspelt one would be silently ignored. */
    static void assertEveryEntryIsRead(JsonNode config) {
        String properties;
        try {
            properties = Files.readString(Path.of("src/main/resources/application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.path("data").fieldNames().forEachRemaining(key -> assertThat(properties.contains("${" + key + ":")
                || READ_BY_NAME.matcher(key).matches()).as(key + " is read by the service").isTrue());
    }

    /** No Secret object, secret-looking variables only by reference, and no key-like literal anywhere. */
    static void assertNoSecrets(List<JsonNode> docs, String wholeText) {
        for (JsonNode doc : docs) {
            assertThat(doc.path("kind").asText()).as("no Secret objects: they are created outside").isNotEqualTo("Secret");
            for (JsonNode env : doc.findValues("env")) {
                env.forEach(Manifests::assertByReference);
            }
            doc.findValues("data").forEach(data -> data.fieldNames().forEachRemaining(key ->
                    assertThat(key).as("ConfigMap key").doesNotContainPattern("(?i)(key|password|token|secret)$")));
        }
        assertThat(wholeText).doesNotContainPattern(SECRET_LITERAL);
    }

    /** A copy without what legitimately differs between two renderings of one object: labels and annotations. */
    static JsonNode withoutLabels(JsonNode doc) {
        JsonNode copy = doc.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("labels", "matchLabels", "annotations"));
            if ("Service".equals(object.path("kind").asText())) {
                ((ObjectNode) object.path("spec")).remove("selector");
            }
        }
        node.forEach(Manifests::strip);
    }

    private static void assertByReference(JsonNode var) {
        String name = var.path("name").asText();
        if (name.matches(".*(KEY|PASSWORD|TOKEN|SECRET).*")) {
            assertThat(var.has("value")).as(name + " by reference only").isFalse();
            assertThat(var.at("/valueFrom/secretKeyRef/name").asText()).isNotEmpty();
        }
    }

    private static int seconds(JsonNode config, String key) {
        String value = config.at("/data/" + key).asText();
        assertThat(value).as(key).matches("\\d+s");
        return Integer.parseInt(value.substring(0, value.length() - 1));
    }
}
