package dev.catalogclassifier.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document at {@code /q/openapi} against the code and the README: every JAX-RS route of the
 * application is in it with a summary, every error answer it declares is a problem document, and every request the
 * README and {@code docs/api.md} show names a route of the document and only fields of its request schema.
 */
@QuarkusTest
// the same test resource as the other default-profile tests, so they share one application: a test class that starts
// one of its own first leaves the job gauges of later ones pointing at its stopped beans (JobResourceTest saw NaN)
@WithTestResource(FakeOpenAiResource.class)
class OpenApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode spec;

    /** Each test reads it: the test port is known only once a test runs, not in a static {@code @BeforeAll}. */
    @BeforeEach
    void read() throws IOException {
        spec = JSON.readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void everyRouteOfTheApplicationIsDocumentedWithASummary() throws Exception {
        List<String> routes = routes();
        assertThat(routes).as("routes found in the application's classes").hasSizeGreaterThan(15);
        for (String route : routes) {
            String[] parts = route.split(" ", 2);
            JsonNode operation = spec.path("paths").path(parts[1]).path(parts[0]);
            assertThat(operation.isMissingNode()).as(route + " in " + spec.path("paths").fieldNames().next() + "…")
                    .isFalse();
            assertThat(operation.path("summary").asText()).as(route + " summary").isNotBlank();
        }
    }

    @Test
    void everyOperationDeclaresWhatItAnswersOnSuccessAndHowACallerIsNamed() {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                List<String> success = new ArrayList<>();
                op.getValue().path("responses").fieldNames().forEachRemaining(code -> {
                    if (code.startsWith("2")) {
                        success.add(code);
                    }
                });
                if (success.isEmpty()) {
                    missing.add(name + ": no success response");
                }
                for (String code : success) {
                    JsonNode content = op.getValue().path("responses").path(code).path("content");
                    if (!code.equals("204") && (!content.isObject() || content.isEmpty())) {
                        missing.add(name + " " + code + ": no content");
                    }
                    content.fields().forEachRemaining(media -> {
                        if (media.getValue().path("schema").isMissingNode()) {
                            missing.add(name + " " + code + " " + media.getKey() + ": no schema");
                        }
                    });
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(15);
        assertThat(missing).as("a client generated from the document must know what each call returns").isEmpty();
        JsonNode schemes = spec.path("components").path("securitySchemes");
        assertThat(schemes.path("bearer").path("scheme").asText()).isEqualTo("bearer");
        assertThat(schemes.path("apiKey").path("name").asText()).isEqualTo("X-API-Key");
        assertThat(schemes.path("apiKey").path("in").asText()).isEqualTo("header");
        assertThat(schemes.size()).as("no scheme declared and never used: %s", schemes).isEqualTo(2);
        assertThat(spec.path("security").toString()).contains("bearer", "apiKey");
        assertThat(spec.path("servers").size()).isPositive();
        assertThat(spec.path("paths").path("/api/v1/classifications").path("post").path("responses").path("200")
                .path("content").has("text/event-stream")).as("the streamed answer is declared too").isTrue();
    }

    @Test
    void everyErrorAnswerIsAProblemDocument() {
        int checked = 0;
        for (JsonNode path : spec.path("paths")) {
            for (JsonNode operation : path) {
                for (Iterator<Map.Entry<String, JsonNode>> it = operation.path("responses").fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> response = it.next();
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        assertThat(declared(response.getValue()).path("content").path("application/problem+json")
                                .path("schema").path("$ref").asText())
                                .as(operation.path("operationId").asText() + " " + response.getKey() + ": "
                                        + response.getValue() + "; components: " + spec.path("components").path("responses"))
                                .isEqualTo("#/components/schemas/Problem");
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(spec.path("components").path("schemas").path("Problem").path("properties").has("detail")).isTrue();
    }

    @Test
    void everyRequestTheReadmeShowsFitsTheDocument() throws IOException {
        List<ReadmeRequests.Request> requests = new ArrayList<>(ReadmeRequests.read(Path.of("README.md")));
        assertThat(requests).as("curl examples in the README").hasSizeGreaterThan(3);
        requests.addAll(ReadmeRequests.read(Path.of("docs", "api.md")));
        assertThat(requests).as("curl examples in the README and docs/api.md").hasSizeGreaterThan(15);
        for (ReadmeRequests.Request request : requests) {
            String template = template(request.path());
            assertThat(template).as("a documented route for " + request).isNotNull();
            JsonNode operation = spec.path("paths").path(template).path(request.method());
            assertThat(operation.isMissingNode()).as(request + " as " + template).isFalse();
            if (request.body() != null) {
                JsonNode schema = resolve(operation.path("requestBody").path("content").path("application/json")
                        .path("schema"));
                assertFits(request.body(), schema, request + " body");
            }
        }
    }

    @Test
    void swaggerUiIsServedOutsideProduction() {
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** A response as declared: in place, or once in the components that {@code $ref} names. */
    private static JsonNode declared(JsonNode response) {
        String ref = response.path("$ref").asText();
        return ref.isEmpty() ? response
                : spec.path("components").path("responses").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    /** Every field of {@code value} is a property of {@code schema}, down the objects and arrays the schema types. */
    private static void assertFits(JsonNode value, JsonNode schema, String where) {
        if (value.isObject() && schema.has("properties")) {
            value.fieldNames().forEachRemaining(field -> {
                assertThat(schema.path("properties").has(field)).as(where + ": field " + field + " of "
                        + schema.path("properties").toString().substring(0, Math.min(200,
                        schema.path("properties").toString().length()))).isTrue();
                assertFits(value.path(field), resolve(schema.path("properties").path(field)), where + "." + field);
            });
        } else if (value.isArray() && schema.has("items")) {
            value.forEach(element -> assertFits(element, resolve(schema.path("items")), where + "[]"));
        }
    }

    private static JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText();
        if (ref.isEmpty() && schema.path("allOf").size() == 1) {
            ref = schema.path("allOf").get(0).path("$ref").asText();
        }
        return ref.isEmpty() ? schema
                : spec.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    /** The document's path template that {@code path} is an instance of (a {name} segment matches any). */
    private static String template(String path) {
        String[] segments = path.split("/");
        for (Iterator<String> it = spec.path("paths").fieldNames(); it.hasNext();) {
            String candidate = it.next();
            String[] parts = candidate.split("/");
            boolean matches = parts.length == segments.length;
            for (int i = 0; matches && i < parts.length; i++) {
                matches = parts[i].equals(segments[i]) || parts[i].startsWith("{");
            }
            if (matches) {
                return candidate;
            }
        }
        return null;
    }

    /** "get /api/v1/jobs/{id}" for every resource method in the application's classes. */
    private static List<String> routes() throws Exception {
        Path classes = Path.of("target", "classes");
        List<String> routes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OpenApiTest.class.getClassLoader());
                jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
                if (root != null) {
                    for (Method method : type.getDeclaredMethods()) {
                        String verb = verb(method);
                        if (verb != null) {
                            jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                            routes.add(verb + " " + root.value() + (sub == null ? "" : sub.value()));
                        }
                    }
                }
            }
        }
        return routes;
    }

    private static String verb(Method method) {
        for (Class<? extends java.lang.annotation.Annotation> verb : List.of(GET.class, POST.class, PUT.class, DELETE.class)) {
            if (method.isAnnotationPresent(verb)) {
                return verb.getSimpleName().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
