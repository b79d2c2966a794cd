package dev.catalogclassifier.taxonomy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.testsupport.BenchData;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Google's Product Taxonomy (5,595 full paths) as a named taxonomy, and a large inline one: each item's model call
 * chooses from its shortlist of 25, carried as the call's enum and its prompt, and every answer is a whole path of
 * the taxonomy. IKEA items from bench/data/ikea-dev.csv, classified against the in-process fake provider.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class LargeTaxonomyTest {

    static final List<String> GOOGLE = BenchData.googleTaxonomy();
    /** Every 59th IKEA item: 41 items of all kinds. */
    static final List<BenchData.IkeaItem> ITEMS = IntStream.range(0, BenchData.ikeaItems().size()).filter(i -> i % 59 == 0)
            .mapToObj(i -> BenchData.ikeaItems().get(i)).toList();

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @Inject
    LocalClassifier local;

    static boolean stored;

    /** Once, with the service up (a static @BeforeAll runs before Quarkus has started). */
    void storeGoogle() {
        if (stored) {
            return;
        }
        given().contentType(ContentType.JSON).body(Map.of("categories", GOOGLE))
                .when().put("/api/v1/taxonomies/google").then().statusCode(201);
        stored = true;
    }

    @BeforeEach
    void reset() {
        fake.reset();
        storeGoogle();
    }

    @Test
    void googlesTaxonomyIsStoredWithAllItsPaths() {
        given().get("/api/v1/taxonomies/google").then().statusCode(200)
                .body("categories.size()", equalTo(5595))
                .body("categories[0]", equalTo("Animals & Pet Supplies"));
        assertThat(local.labelsAsync(LocalClassifier.labelTexts(GOOGLE, Map.of())))
                .as("its label vectors are kept: a PUT of the same list (say, with new examples) does not embed it again")
                .isCompleted();
    }

    @Test
    void everyAnswerIsOneOfTheItemsShortlistedPathsAndTheCallHeldOnlyThose() {
        JsonPath answer = classify("\"google\"", "llm", items(ITEMS));
        List<Map<String, Object>> results = answer.getList("results");
        assertThat(results).hasSize(ITEMS.size()).allSatisfy(r -> {
            assertThat(r.get("status")).as(r.toString()).isEqualTo("ok");
            assertThat(GOOGLE).contains((String) r.get("category"));
            List<Map<String, Object>> candidates = candidates(r);
            assertThat(candidates).as("the shortlist of %s", r.get("id")).hasSize(25);
            assertThat(candidates).extracting(c -> (String) c.get("category")).contains((String) r.get("category"))
                    .doesNotHaveDuplicates().allSatisfy(c -> assertThat(GOOGLE).contains(c));
            List<Double> scores = candidates.stream().map(c -> ((Number) c.get("score")).doubleValue()).toList();
            assertThat(scores).as("best first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        });
        assertThat(fake.calls()).as("one call an item, none asked again").hasSize(ITEMS.size()).allSatisfy(call -> {
            assertThat(call.categoryEnum()).hasSize(25);
            assertThat(call.prompt().lines().filter(l -> l.startsWith("- ")).count()).as(call.prompt()).isEqualTo(25);
        });
        Map<String, List<String>> enums = new java.util.HashMap<>();
        fake.calls().forEach(c -> enums.put(c.item(), c.categoryEnum()));
        results.forEach(r -> assertThat(candidates(r).stream().map(c -> (String) c.get("category")).toList())
                .as("the candidates shown are what the call chose from").isIn(enums.values()));
    }

    @Test
    void aCascadeSettlesConfidentItemsLocallyAndExplainsThemToo() {
        JsonPath answer = classify("\"google\"", "cascade", items(ITEMS));
        List<Map<String, Object>> results = answer.getList("results");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("ok");
            assertThat(GOOGLE).contains((String) r.get("category"));
            assertThat(candidates(r)).hasSize(25);
        });
        assertThat(fake.calls()).hasSize(ITEMS.size() - answer.getInt("summary.settled_locally"));
    }

    @Test
    void anInlineTaxonomyOverTheThresholdIsShortlistedAndEmbeddedOncePerContent() {
        List<String> furniture = GOOGLE.stream().filter(c -> c.startsWith("Furniture") || c.startsWith("Home & Garden > Decor"))
                .toList();
        assertThat(furniture.size()).isGreaterThan(50);
        String inline = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(furniture).toString();
        JsonPath answer = classify(inline, "llm", items(ITEMS.subList(0, 10)));
        assertThat(answer.getList("results.status")).containsOnly("ok");
        assertThat(answer.getList("results.category", String.class)).allSatisfy(c -> assertThat(furniture).contains(c));
        assertThat(fake.calls()).hasSize(10).allSatisfy(c -> assertThat(c.categoryEnum()).hasSize(25));
        assertThat(local.zeroShotAsync(furniture).join().labels()).as("kept by content: the same list is not embedded again")
                .isSameAs(local.zeroShotAsync(List.copyOf(furniture)).join().labels());
    }

    @Test
    void withLabelledExamplesTheShortlistFollowsTheirVotes() {
        // words no category's name is near: only the examples can put their category on the shortlist
        List<Map<String, String>> examples = List.of(Map.of("text", "ZORBLAX widget, blue", "category", "Furniture > Futon Pads"),
                Map.of("text", "ZORBLAX widget, red", "category", "Furniture > Futon Pads"));
        given().contentType(ContentType.JSON).body(Map.of("categories", GOOGLE, "examples", examples))
                .when().put("/api/v1/taxonomies/google-with-examples").then().statusCode(201);
        JsonPath answer = classify("\"google-with-examples\"", "llm", "[{\"id\": \"z\", \"name\": \"ZORBLAX widget, green\"}]");
        assertThat(answer.getString("results[0].candidates[0].category")).isEqualTo("Furniture > Futon Pads");
        assertThat(fake.calls().getFirst().categoryEnum()).contains("Furniture > Futon Pads").hasSize(25);
        given().delete("/api/v1/taxonomies/google-with-examples").then().statusCode(204);
    }

    @Test
    void aPhotoOnlyItemCannotBeShortlistedAndSaysSo() {
        given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"items\": [{\"id\": \"p\", "
                + "\"image_url\": \"http://127.0.0.1:9/chair.jpg\"}, {\"id\": \"t\", \"name\": \"ADDE chair\"}]}")
                .when().post("/api/v1/classifications").then().statusCode(200)
                .body("results[0].status", equalTo("rejected"))
                .body("results[0].error.code", equalTo("shortlist_needs_text"))
                .body("results[1].status", equalTo("ok"));
    }

    @Test
    void aJobKeepsEachResultsCandidates() {
        String id = given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"classifier\": \"llm\", "
                + "\"explain\": true, \"items\": " + items(ITEMS.subList(0, 8)) + "}")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        List<Map<String, Object>> results = given().get("/api/v1/jobs/" + id + "/results").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(results).hasSize(8).allSatisfy(r -> {
            assertThat(GOOGLE).contains((String) r.get("category"));
            assertThat(candidates(r)).hasSize(25).extracting(c -> (String) c.get("category")).contains((String) r.get("category"));
        });
    }

    @Test
    void aBatchApiJobRefusesATaxonomyThatNeedsShortlists() {
        given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"classifier\": \"llm\", \"mode\": \"text\", "
                + "\"execution\": \"batch-api\", \"items\": " + items(ITEMS.subList(0, 2)) + "}")
                .when().post("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("taxonomy"))
                .body("errors[0].message", containsString("5595 categories"));
    }

    @Test
    void withoutExplainNoCandidatesAreSent() {
        given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"classifier\": \"llm\", \"items\": "
                + items(ITEMS.subList(0, 3)) + "}")
                .when().post("/api/v1/classifications").then().statusCode(200)
                .body("results.status", everyItem(equalTo("ok")))
                .body("results.findAll { it.candidates != null }.size()", equalTo(0));
        Set<Integer> sizes = new HashSet<>();
        fake.calls().forEach(c -> sizes.add(c.categoryEnum().size()));
        assertThat(sizes).containsExactly(25);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> candidates(Map<String, Object> result) {
        Object candidates = result.get("candidates");
        assertThat(candidates).as("candidates of %s", result).isNotNull();
        return (List<Map<String, Object>>) candidates;
    }

    private static JsonPath classify(String taxonomy, String classifier, String items) {
        return given().contentType(ContentType.JSON).body("{\"taxonomy\": " + taxonomy + ", \"classifier\": \""
                + classifier + "\", \"explain\": true, \"items\": " + items + "}")
                .when().post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
    }

    private static String items(List<BenchData.IkeaItem> items) {
        var array = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        items.forEach(i -> array.addObject().put("id", i.id()).put("name", i.name()).put("description", i.description()));
        return array.toString();
    }
}
