package dev.catalogclassifier.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.CacheOn;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The same items under the same plan take the same route, and get their answer from the same source, whether
 * they come in a streaming request or in a job: both go through one pipeline. With the result cache on, and the
 * LLM's answers for two of the items already stored, which also shows that the cache comes before the local
 * model in a cascade, for requests and jobs alike.
 */
@QuarkusTest
@TestProfile(CacheOn.class)
@WithTestResource(FakeOpenAiResource.class)
class RouteTest {

    /**
     * A sure item, an unsure one, one the LLM answers unusably, and one with only a photo that cannot be fetched
     * (the local classifier cannot read it; the LLM would be shown it, so the fetch rejects it first).
     */
    private static final String ITEMS = """
            [{"id": "sure", "name": "MALM bed frame %1$s", "description": "Bed frame, high, white, 160x200 cm"},
             {"id": "unsure", "name": "LACK %1$s", "description": "thing"},
             {"id": "photo-only", "image_url": "http://127.0.0.1:1/nothing-here.jpg"},
             {"id": "garbled", "name": "TERJE folding chair [garbage]"}]""";
    private static final String TAXONOMY = "\"taxonomy\": [\"Beds\", \"Chairs\", \"Sofas & armchairs\", \"Tables & desks\"]";

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aRequestAndAJobRouteTheSameItemsTheSameWay() {
        String items = ITEMS.formatted(UUID.randomUUID());
        String stored = "{" + TAXONOMY + ", \"classifier\": \"llm\", \"items\": " + items + "}";
        await().atMost(Duration.ofSeconds(60)).until(() -> request(stored).stream()
                .filter(r -> "sure".equals(r.get("id")) || "unsure".equals(r.get("id")))
                .allMatch(r -> Boolean.TRUE.equals(r.get("cached"))));

        for (String classifier : List.of("llm", "local", "cascade")) {
            String body = "{" + TAXONOMY + ", \"classifier\": \"" + classifier + "\", \"items\": " + items + "}";
            List<String> streamed = routes(request(body));
            List<String> queued = routes(job(body));
            assertThat(queued).as("a job's routes under %s", classifier).isEqualTo(streamed).hasSize(4);
            if (!classifier.equals("local")) {
                assertThat(streamed).as("the LLM's stored answers come first under %s", classifier)
                        .anySatisfy(r -> assertThat(r).startsWith("sure: ok Beds by gpt-4o-mini (cached)"));
            }
        }
    }

    private static List<Map<String, Object>> request(String body) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath().getList("results");
    }

    private static List<Map<String, Object>> job(String body) {
        String location = given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs")
                .then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "completed".equals(given().get(location).then().extract().path("status")));
        return given().accept(ContentType.JSON).get(location + "/results?limit=100").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    /** What a caller can see of an item's route: outcome, category, who answered, from the cache or not, why not. */
    private static List<String> routes(List<Map<String, Object>> results) {
        List<Map<String, Object>> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(r -> String.valueOf(r.get("id"))));
        return sorted.stream().map(r -> r.get("id") + ": " + r.get("status") + " " + r.get("category") + " by "
                + r.get("model") + (Boolean.TRUE.equals(r.get("cached")) ? " (cached)" : "") + " "
                + (r.get("error") instanceof Map<?, ?> e ? e.get("code") : "")).toList();
    }
}
