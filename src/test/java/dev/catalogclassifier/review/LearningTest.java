package dev.catalogclassifier.review;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import dev.catalogclassifier.local.ItemText;
import dev.catalogclassifier.testsupport.BenchData;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.IkeaSplit;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.Metrics;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A stored taxonomy learns: a caller's correction of a job's result becomes an example and changes the next answer,
 * examples are added without a PUT, and answers of the model it trusts are learnt, listed, counted and dropped. IKEA's
 * series three in four are the taxonomy's examples; the fourth's items are what a catalogue sends next.
 */
@QuarkusTest
@TestProfile(LearningTest.Learning.class)
@WithTestResource(FakeOpenAiResource.class)
class LearningTest {

    /** Learning on, as the service ships (the other tests share one taxonomy store, and keep it off). */
    public static class Learning implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("classifier.review.learn", "true");
        }
    }

    private static final List<BenchData.IkeaItem> NEW_SERIES = IkeaSplit.NEW_SERIES;

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    /** Stores the IKEA taxonomy under {@code name}, three quarters of the series as examples; how many examples. */
    private static int store(String name) {
        // more examples than a PUT embeds while the caller waits: prepared in the background until ready
        dev.catalogclassifier.testsupport.Taxonomies.store(name, IkeaSplit.definition(Map.of("precision", 0.9, "group_by", "name")));
        return IkeaSplit.exampleCount();
    }

    /**
     * An item of a new series whose text, as the taxonomy reads it (the description, sizes aside), no other IKEA item
     * has: only its own example can speak for it.
     */
    private static BenchData.IkeaItem uniqueNewItem() {
        Map<String, Integer> uses = new HashMap<>();
        BenchData.ikeaItems().forEach(i -> uses.merge(read(i), 1, Integer::sum));
        return NEW_SERIES.stream().filter(i -> uses.get(read(i)) == 1).findFirst().orElseThrow();
    }

    private static String read(BenchData.IkeaItem item) {
        return ItemText.DESCRIPTION.of(item.name(), item.description()).toLowerCase(Locale.ROOT);
    }

    private static JsonPath classify(String name, Map<String, Object> request) {
        Map<String, Object> body = new HashMap<>(request);
        body.put("taxonomy", name);
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aCorrectionOfAJobsResultReplacesWhatWasLearntAndChangesTheNextAnswerForItsColourVariant() {
        store("learning-correct");
        BenchData.IkeaItem item = uniqueNewItem();
        Map<String, String> asSent = Map.of("id", "first", "name", item.name(), "description", item.description());
        JsonPath local = classify("learning-correct", Map.of("classifier", "local", "explain", true, "items", List.of(asSent)));
        String top = local.getString("results[0].candidates[0].category");
        // the right category, as a catalogue team would put it: a plausible one, the local model's runner-up
        String corrected = local.getString("results[0].candidates[1].category");
        // the model answers as the local model would: an answer the service trusts, and learns
        fake.oracle(Map.of(FakeOpenAi.itemKey(item.name(), item.description()), java.util.Set.of(top)), 1.0);
        String location = given().contentType(ContentType.JSON).body(Map.of("taxonomy", "learning-correct",
                        "classifier", "llm", "items", List.of(asSent)))
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        given().get("/api/v1/jobs/" + id + "/results").then().body("items[0].category", equalTo(top));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/v1/taxonomies/learning-correct/examples?source=model")
                .then().extract().<Integer>path("total") == 1);

        given().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("id", "first", "category", corrected))))
                .post("/api/v1/jobs/" + id + "/feedback").then().statusCode(200)
                .body("corrected", equalTo(1)).body("examples", equalTo(1));
        given().get("/api/v1/jobs/" + id + "/results").then().statusCode(200)
                .body("items[0].category", equalTo(corrected)).body("items[0].review", equalTo(false));
        given().get("/api/v1/taxonomies/learning-correct/examples?source=model").then()
                .body("total", equalTo(0)); // the learnt answer the correction proved wrong no longer counts
        // and the model's precision in this taxonomy is estimated down: (0 + 20 × 0.9) / (0 + 1 + 20)
        given().get("/api/v1/taxonomies/learning-correct").then().body("model_feedback.corrected", equalTo(1))
                .body("model_feedback.confirmed", equalTo(0)).body("model_feedback.estimated_precision", equalTo(0.8571f));
        given().get("/api/v1/taxonomies/learning-correct/examples?source=caller").then()
                .body("total", equalTo(1)).body("examples[0].category", equalTo(corrected))
                .body("examples[0].origin", equalTo("job:" + id));

        JsonPath next = classify("learning-correct", Map.of("classifier", "cascade", "explain", true,
                "items", List.of(Map.of("id", "variant", "name", item.name(), "description", item.description()))));
        assertThat(next.getString("results[0].model")).as(next.prettify()).isEqualTo("local-minilm-l6-v2-q");
        assertThat(next.getString("results[0].category")).as(next.prettify()).isEqualTo(corrected);
        assertThat(fake.calls()).as("only the job's item went to the model").extracting(FakeOpenAi.Call::item)
                .containsOnly(FakeOpenAi.itemKey(item.name(), item.description()));
    }

    @Test
    void feedbackThatNamesNoResultOrNoCategoryIsRefusedAndChangesNothing() {
        String location = given().contentType(ContentType.JSON).body(Map.of("taxonomy", List.of("Beds", "Chairs"),
                        "items", List.of(Map.of("id", "a", "name", "MALM bed frame"))))
                .post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        given().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("id", "a", "category", "Spaceships"),
                        Map.of("id", "nope", "confirm", true))))
                .post("/api/v1/jobs/" + id + "/feedback").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("items[0].category", "items[1].id"));
        given().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("id", "a"))))
                .post("/api/v1/jobs/" + id + "/feedback").then().statusCode(400).body("errors[0].field", equalTo("items[0]"));
        given().get("/api/v1/jobs/" + id + "/results").then().body("items[0].category", equalTo("Beds"));
        given().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("id", "a", "confirm", true))))
                .post("/api/v1/jobs/" + id + "/feedback").then().statusCode(200)
                .body("confirmed", equalTo(1)).body("examples", equalTo(0)); // an inline list has nowhere to learn
        given().contentType(ContentType.JSON).body(Map.of("items", List.of(Map.of("id", "a", "category", "beds"))))
                .post("/api/v1/jobs/" + id + "/feedback").then().statusCode(200)
                .body("corrected", equalTo(0)).body("confirmed", equalTo(1)); // its own category again confirms it
    }

    @Test
    void examplesAreAddedWithoutAPutAndValidatedAsAPutsAre() {
        int put = store("learning-added");
        given().contentType(ContentType.JSON).body(Map.of("examples", List.of(
                        Map.of("name", "TESTBÄDD", "description", "Day-bed frame", "category", "Beds"))))
                .post("/api/v1/taxonomies/learning-added/examples").then().statusCode(200)
                .body("examples", equalTo(put + 1)).body("examples_by_source.caller", equalTo(1));
        given().contentType(ContentType.JSON).body(Map.of("examples", List.of(
                        Map.of("name", "X", "description", "Y", "category", "Spaceships"))))
                .post("/api/v1/taxonomies/learning-added/examples").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("examples[0].category"));
        given().contentType(ContentType.JSON).body(Map.of("examples", List.of()))
                .post("/api/v1/taxonomies/learning-added/examples").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("examples", List.of(Map.of("text", "bed", "category", "Beds"))))
                .post("/api/v1/taxonomies/no-such-taxonomy/examples").then().statusCode(404);
        given().get("/api/v1/taxonomies/learning-added").then().statusCode(200).body("examples", equalTo(put + 1));
        given().delete("/api/v1/taxonomies/learning-added/examples?source=put").then().statusCode(400)
                .body("errors[0].field", equalTo("source"));
    }

    @Test
    void answersOfTheModelItTrustsAreLearntListedCountedAndDropped() {
        int put = store("learning-model");
        List<Map<String, Object>> items = NEW_SERIES.subList(0, 30).stream()
                .map(i -> Map.<String, Object>of("id", i.id(), "name", i.name(), "description", i.description())).toList();
        classify("learning-model", Map.of("classifier", "llm", "items", items));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/v1/taxonomies/learning-model/examples?source=model")
                .then().extract().<Integer>path("total") > 0);
        JsonPath learnt = given().get("/api/v1/taxonomies/learning-model/examples?source=model&limit=1000").then()
                .statusCode(200).extract().jsonPath();
        int count = learnt.getInt("total");
        assertThat(learnt.getList("examples.source", String.class)).as(learnt.prettify()).containsOnly("model").hasSize(count);
        assertThat(learnt.getString("examples[0].origin")).startsWith("request:");
        assertThat(count).isLessThanOrEqualTo(30);
        given().get("/api/v1/taxonomies/learning-model").then().statusCode(200)
                .body("examples", equalTo(put + count)).body("examples_by_source.model", equalTo(count))
                .body("examples_by_source.put", equalTo(put));
        assertThat(Metrics.value("classifier_examples_learnt_total{taxonomy=\"learning-model\"")).isEqualTo(count);

        given().delete("/api/v1/taxonomies/learning-model/examples?source=model").then().statusCode(200)
                .body("examples", equalTo(put)).body("examples_by_source.model", equalTo(0));
        given().get("/api/v1/taxonomies/learning-model/examples?source=model").then().body("total", equalTo(0));
    }
}
