package dev.catalogclassifier.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class MetricsTest {

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void itemsTokensCostAndCallsAreCountedWithoutSecrets() {
        double okBefore = value("classifier_items_total{mode=\"text\",outcome=\"ok\",tenant=\"none\"}");
        double costBefore = value("classifier_cost_usd_total{model=\"gpt-4o-mini\",tenant=\"none\"}");

        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"items\": [{\"id\": \"a\", \"name\": \"MALM bed\"}, {\"id\": \"b\", \"name\": \"LACK table\"}]}")
                .when().post("/api/v1/classifications").then().statusCode(200);

        assertThat(value("classifier_items_total{mode=\"text\",outcome=\"ok\",tenant=\"none\"}")).isEqualTo(okBefore + 2);
        // the fake bills 100 prompt + 20 completion tokens a call: 2 x (100 x 0.15 + 20 x 0.60) / 1M USD
        assertThat(value("classifier_cost_usd_total{model=\"gpt-4o-mini\",tenant=\"none\"}") - costBefore).isCloseTo(0.000054, org.assertj.core.data.Offset.offset(1e-9));
        String text = metrics();
        assertThat(text).contains("classifier_tokens_total{kind=\"prompt\",model=\"gpt-4o-mini\"",
                "classifier_item_duration_seconds_bucket", "classifier_items_in_flight", "classifier_request_cost_usd_count",
                "classifier_llm_calls_total{key=\"key-1\",outcome=\"ok\",provider=\"openai\"", "ft_");
        assertThat(text).doesNotContain("test-key-alpha", "test-key-bravo");
    }

    @Test
    void itemsTheInProcessClassifierAnswersAreTimedToo() {
        double before = value("classifier_item_duration_seconds_count{mode=\"text\"}");

        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"classifier\": \"local\", \"taxonomy\": [\"Beds\", \"Chairs\"], \"items\": [{\"id\": \"a\", "
                        + "\"name\": \"MALM bed frame\"}, {\"id\": \"b\", \"name\": \"ADDE chair\"}]}")
                .when().post("/api/v1/classifications").then().statusCode(200)
                .body("results.model", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.not("gpt-4o-mini")));

        assertThat(value("classifier_item_duration_seconds_count{mode=\"text\"}")).isEqualTo(before + 2);
        assertThat(fake.calls()).as("no model call").isEmpty();
    }

    @Test
    void promtoolFindsNothingWrongWithOurMetrics() throws Exception {
        Path promtool = dev.catalogclassifier.testsupport.Promtool.require();
        Path out = Path.of("target", "metrics.txt");
        Files.writeString(out, metrics());
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(out.toFile())
                .redirectErrorStream(true).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String findings = new String(check.getInputStream().readAllBytes());
        assertThat(findings.lines().filter(l -> l.contains("classifier_"))).as(findings).isEmpty();
    }

    private static String metrics() {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String series) {
        // the text format may end a label set with a comma: {mode="text",outcome="ok",}
        String prefix = series.substring(0, series.length() - 1);
        return metrics().lines().filter(l -> l.startsWith(prefix) && l.matches("[^ ]*,?} .*"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
