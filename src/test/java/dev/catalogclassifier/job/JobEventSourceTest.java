package dev.catalogclassifier.job;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import dev.catalogclassifier.testsupport.Chromium;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A real browser's EventSource on {@code /api/v1/jobs/{id}/events}: headless Chromium loads a test page that
 * follows the job and lists every event it receives. Skipped, saying why, where Chromium is not installed,
 * unless {@code CLASSIFIER_REQUIRE_BROWSER=true} (CI sets it).
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
@EnabledIf(value = Chromium.ENABLED, disabledReason = Chromium.MISSING)
class JobEventSourceTest {

    @TestHTTPResource("/test/eventsource.html")
    URL page;

    @Test
    void aBrowsersEventSourceReceivesEveryItemWithItsIdAndTheFinalStatus() throws Exception {
        String body = "{\"items\": [" + IntStream.range(0, 10)
                .mapToObj(i -> "{\"id\": \"sku-" + i + "\", \"name\": \"MALM bed " + i + "\"}")
                .collect(Collectors.joining(",")) + "]}";
        String location = given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs")
                .then().statusCode(202).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "completed".equals(given().get(location).then().extract().path("status")));

        List<String> seen = browse(page + "?job=" + id).lines()
                .filter(l -> l.startsWith("<li>")).map(l -> l.replaceAll("</?li>", "")).toList();

        assertThat(seen.stream().filter(l -> l.startsWith("item "))).hasSize(10)
                .allSatisfy(l -> assertThat(l).matches("item \\d+ sku-\\d"));
        assertThat(seen.getLast()).matches("status \\d+ completed");
    }

    /** The page's DOM after headless Chromium has run its scripts. */
    private static String browse(String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(Chromium.BINARY.toString()));
        command.addAll(Chromium.FLAGS);
        command.addAll(List.of("--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", url));
        Process chromium = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(chromium.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "eventsource-dom.html"), dom);
        return dom.replace("<li>", "\n<li>").replace("</li>", "</li>\n");
    }
}
