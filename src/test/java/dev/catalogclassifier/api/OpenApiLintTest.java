package dev.catalogclassifier.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.Redocly;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code /q/openapi} linted as a client generator's user would lint it: Redocly CLI with its {@code recommended} rules
 * ({@code redocly.yaml} at the project's root says which warnings are waived, and why). No error and no warning left.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class OpenApiLintTest {

    /** Where the document is written for the linter and the generated client ({@link GeneratedClientTourTest}). */
    static final Path DOCUMENT = Path.of("target", "openapi", "openapi.json");

    @Test
    void theDocumentPassesRedoclysRecommendedRules() throws Exception {
        Path redocly = Redocly.require();
        write();
        Path report = DOCUMENT.resolveSibling("lint.json");
        Process lint = new ProcessBuilder(redocly.toString(), "lint", "--config", "redocly.yaml", "--format", "json",
                DOCUMENT.toString()).redirectErrorStream(false).redirectOutput(report.toFile())
                .redirectError(DOCUMENT.resolveSibling("lint.log").toFile()).start();
        assertThat(lint.waitFor(3, TimeUnit.MINUTES)).as("redocly lint finished").isTrue();
        String output = Files.readString(report, StandardCharsets.UTF_8);
        JsonNode result = new ObjectMapper().readTree(output);
        List<String> problems = result.path("problems").valueStream()
                .map(p -> p.path("severity").asText() + " " + p.path("ruleId").asText() + ": " + p.path("message").asText()
                        + " at " + p.path("location").path(0).path("pointer").asText())
                .toList();
        assertThat(problems).as("redocly lint's problems (exit %d; %s)", lint.exitValue(), report).isEmpty();
        assertThat(result.path("totals").path("errors").asInt()).isZero();
    }

    /** Writes the running service's document where the linter and the client generator read it. */
    static void write() throws IOException {
        Files.createDirectories(DOCUMENT.getParent());
        Files.writeString(DOCUMENT, given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString(), StandardCharsets.UTF_8);
    }
}
