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
    /** What the first PUT of Google's taxonomy answered, and what a request naming it got while it was being prepared. */
    static io.restassured.response.Response accepted;
    static io.restassured.response.Response early;
    static String statusAfterEarly;

    /**
     * Once, with the service up (a static @BeforeAll runs before Quarkus has started). Google's 5,595 categories are more
     * than a PUT embeds while the caller waits: it is answered 202 and prepared in the background, and a request naming
     * it meanwhile is kept for {@link #googlesTaxonomyIsPreparedInTheBackgroundAndUsableWhenReady}.
     */
    void storeGoogle() {
        if (stored) {
            return;
        }
        accepted = given().contentType(ContentType.JSON).body(Map.of("categories", GOOGLE))
                .when().put("/api/v1/taxonomies/google").then().extract().response();
        early = given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"items\": [{\"id\": \"e\", "
                + "\"name\": \"ADDE chair\"}]}").when().post("/api/v1/classifications").then().extract().response();
        statusAfterEarly = given().get("/api/v1/taxonomies/google").then().statusCode(200).extract().path("status");
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                "ready".equals(given().get("/api/v1/taxonomies/google").then().statusCode(200).extract().path("status")));
        stored = true;
    }

    @Test
    void googlesTaxonomyIsPreparedInTheBackgroundAndUsableWhenReady() {
        assertThat(accepted.statusCode()).as(accepted.asString()).isEqualTo(202);
        assertThat(accepted.header("Location")).endsWith("/api/v1/taxonomies/google");
        assertThat(accepted.jsonPath().getString("status")).isEqualTo("preparing");
        assertThat(accepted.jsonPath().getString("preparation.phase")).isEqualTo("embedding");
        assertThat(accepted.jsonPath().getInt("preparation.categories")).isEqualTo(5595);
        assertThat(accepted.jsonPath().getList("categories")).hasSize(5595);
        assertThat(statusAfterEarly).as("embedding 5,595 labels takes seconds: the request came while it was preparing")
                .isEqualTo("preparing");
        assertThat(early.statusCode()).as(early.asString()).isEqualTo(409);
        assertThat(early.contentType()).startsWith("application/problem+json");
        assertThat(early.jsonPath().getString("type")).endsWith("taxonomy-not-ready");
        assertThat(early.jsonPath().getString("detail")).contains("being prepared", "GET /api/v1/taxonomies/google");
        // ready: listed as such, and a request naming it is classified
        given().get("/api/v1/taxonomies").then().statusCode(200)
                .body("taxonomies.find { it.name == 'google' }.status", equalTo("ready"));
        given().get("/api/v1/taxonomies/google").then().body("preparation", org.hamcrest.Matchers.nullValue());
        given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"items\": [{\"id\": \"e\", "
                + "\"name\": \"ADDE chair\"}]}").when().post("/api/v1/classifications").then().statusCode(200)
                .body("results[0].status", equalTo("ok"));
    }

    @BeforeEach
    void reset() {
        fake.reset();
        storeGoogle();
    }

    /** Every question of every test here (shortlists, walks, photos, packs, batch lines) held to OpenAI's rules. */
    @org.junit.jupiter.api.AfterEach
    void everyRequestHeldToOpenAisSchemaAndStrictMode() {
        assertThat(fake.invalidRequests()).as("requests OpenAI would refuse").isEmpty();
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
            String category = (String) r.get("category");
            assertThat(candidates).extracting(c -> (String) c.get("category")).doesNotHaveDuplicates()
                    .allSatisfy(c -> assertThat(GOOGLE).contains(c))
                    .as("the answer is on the shortlist, or below one of it that the walk went down from")
                    .anySatisfy(c -> assertThat(category.equals(c) || category.startsWith(c + " > ")).isTrue());
            List<Double> scores = candidates.stream().map(c -> ((Number) c.get("score")).doubleValue()).toList();
            assertThat(scores).as("best first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        });
        Map<String, List<FakeOpenAi.Call>> byItem = new java.util.LinkedHashMap<>();
        fake.calls().forEach(c -> byItem.computeIfAbsent(c.item(), k -> new java.util.ArrayList<>()).add(c));
        assertThat(byItem).as("every item asked").hasSize(ITEMS.size());
        byItem.values().forEach(calls -> {
            FakeOpenAi.Call first = calls.getFirst();
            assertThat(first.categoryEnum()).as("the shortlist and the way out").hasSize(26).endsWith("None of these");
            assertThat(first.prompt().lines().filter(l -> l.startsWith("- ")).count()).as(first.prompt()).isEqualTo(26);
            assertThat(first.prompt()).contains("- None of these: no category above fits the item");
            // an answer with narrower categories is walked on down: each step offers it first, then what is below it
            calls.stream().skip(1).forEach(step -> assertThat(step.categoryEnum()).as(step.prompt())
                    .allSatisfy(c -> assertThat(c.equals(step.categoryEnum().getFirst())
                            || c.startsWith(step.categoryEnum().getFirst() + " > ")).isTrue()));
        });
        results.forEach(r -> assertThat(candidates(r).stream().map(c -> (String) c.get("category")).toList())
                .as("the candidates shown are what the first call chose from")
                .isIn(byItem.values().stream().map(calls -> calls.getFirst().categoryEnum().subList(0, 25)).toList()));
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
        assertThat(fake.calls().stream().map(FakeOpenAi.Call::item).distinct().count()).as("items asked")
                .isEqualTo(ITEMS.size() - answer.getInt("summary.settled_locally"));
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
        assertThat(fake.calls()).hasSize(10).allSatisfy(c -> assertThat(c.categoryEnum()).hasSize(26));
        assertThat(local.zeroShotAsync(furniture).join().labels()).as("kept by content: the same list is not embedded again")
                .isSameAs(local.zeroShotAsync(List.copyOf(furniture)).join().labels());
    }

    @Test
    void withLabelledExamplesTheShortlistFollowsTheirVotes() {
        // words no category's name is near: only the examples can put their category on the shortlist
        List<Map<String, String>> examples = List.of(Map.of("text", "ZORBLAX widget, blue", "category", "Furniture > Futon Pads"),
                Map.of("text", "ZORBLAX widget, red", "category", "Furniture > Futon Pads"));
        dev.catalogclassifier.testsupport.Taxonomies.store("google-with-examples", Map.of("categories", GOOGLE, "examples", examples));
        JsonPath answer = classify("\"google-with-examples\"", "llm", "[{\"id\": \"z\", \"name\": \"ZORBLAX widget, green\"}]");
        assertThat(answer.getString("results[0].candidates[0].category")).isEqualTo("Furniture > Futon Pads");
        assertThat(fake.calls().getFirst().categoryEnum()).contains("Furniture > Futon Pads").hasSize(26);
        given().delete("/api/v1/taxonomies/google-with-examples").then().statusCode(204);
    }

    @Test
    void anItemWhoseShortlistMissesIsFoundByWalkingTheTree() {
        // only examples could shortlist this path for these words, and there are none: the model says none fits
        fake.oracle(Map.of(FakeOpenAi.itemKey("ZORBLAX widget, green", null), Set.of("Furniture > Futon Pads")), 1.0);
        JsonPath answer = classify("\"google\"", "llm", "[{\"id\": \"z\", \"name\": \"ZORBLAX widget, green\"}]");
        assertThat(answer.getString("results[0].status")).as(answer.prettify()).isEqualTo("ok");
        assertThat(answer.getString("results[0].category")).isEqualTo("Furniture > Futon Pads");
        List<FakeOpenAi.Call> calls = fake.calls();
        assertThat(calls).as("the shortlist, then a question a level").hasSize(3);
        assertThat(calls.get(0).categoryEnum()).hasSize(26).doesNotContain("Furniture > Futon Pads").endsWith("None of these");
        assertThat(calls.get(1).categoryEnum()).as("the top of the tree").hasSize(21).contains("Furniture")
                .allSatisfy(c -> assertThat(c).doesNotContain(" > "));
        assertThat(calls.get(2).categoryEnum()).as("Furniture itself, then its children").startsWith("Furniture")
                .contains("Furniture > Futon Pads", "Furniture > Beds & Accessories")
                .allSatisfy(c -> assertThat(GOOGLE).contains(c));
        assertThat(answer.getInt("results[0].attempts")).isEqualTo(3);
        assertThat(answer.getInt("results[0].usage.prompt_tokens")).as("the usage of every step").isPositive();
    }

    @Test
    void aPackOffersItsShortlistsWithTheWayOutAndAnItemNoneFitsWalksAlone() {
        String items = "[{\"id\": \"a\", \"name\": \"ADDE chair\"}, {\"id\": \"b\", \"name\": \"MALM bed frame\"}, "
                + "{\"id\": \"c\", \"name\": \"KALLAX shelving unit [none-fits]\"}]";
        JsonPath answer = given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"classifier\": \"llm\", "
                + "\"pack\": 3, \"items\": " + items + "}")
                .when().post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getList("results.status", String.class)).as(answer.prettify()).containsOnly("ok");
        assertThat(answer.getList("results.category", String.class)).allSatisfy(c -> assertThat(GOOGLE).contains(c));
        FakeOpenAi.Call pack = fake.calls().getFirst();
        assertThat(pack.item()).contains("[id: 1]", "[id: 2]", "[id: 3]");
        assertThat(pack.categoryEnum()).as("the pack's shortlists together, then the way out").endsWith("None of these")
                .hasSizeGreaterThan(26);
        List<FakeOpenAi.Call> alone = fake.calls().stream().filter(c -> c.item().contains("[none-fits]") && !c.item().contains("[id:"))
                .toList();
        assertThat(alone).as("the item none fitted walks from the top, alone").isNotEmpty();
        assertThat(alone.getFirst().categoryEnum()).hasSize(21).doesNotContain("None of these");
        assertThat(answer.getInt("results[2].attempts")).as("its pack call and its walk").isGreaterThan(alone.size());
    }

    @Test
    void aPhotoOnlyItemIsClassifiedByWalkingTheTreeEachStepHeldToRealNodes() throws java.io.IOException {
        // the oracle knows the photo by what it shows (a code drawn in it), as a model would
        fake.oracle(Map.of(FakeOpenAi.photoKey(7), Set.of("Furniture > Chairs > Table & Bar Stools")), 1.0);
        try (dev.catalogclassifier.testsupport.PhotoServer photos = new dev.catalogclassifier.testsupport.PhotoServer()) {
            String stool = photos.serve("/stool.jpg", dev.catalogclassifier.testsupport.TestImages.jpeg(
                    dev.catalogclassifier.testsupport.TestImages.coded(7, 800, 600)), "image/jpeg");
            JsonPath answer = given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"items\": [{\"id\": \"p\", "
                    + "\"image_url\": \"" + stool + "\"}, {\"id\": \"t\", \"name\": \"ADDE chair\"}]}")
                    .when().post("/api/v1/classifications").then().statusCode(200).extract().jsonPath();
            assertThat(answer.getString("results[0].status")).as(answer.prettify()).isEqualTo("ok");
            assertThat(answer.getString("results[0].category")).isEqualTo("Furniture > Chairs > Table & Bar Stools");
            assertThat(answer.getString("results[0].processing_type")).isEqualTo("image_multithreaded");
            assertThat(answer.getString("results[1].status")).isEqualTo("ok");
        }
        List<FakeOpenAi.Call> steps = fake.calls().stream().filter(c -> c.photo() != null).toList();
        assertThat(steps).as("a question a level, each shown the photo").hasSize(3);
        String at = null;
        for (FakeOpenAi.Call step : steps) {
            List<String> offered = step.categoryEnum();
            assertThat(offered).as("step below %s: real nodes of the taxonomy, whole paths", at).isNotEmpty()
                    .allSatisfy(c -> assertThat(GOOGLE).contains(c)).doesNotContain("None of these");
            String parent = at;
            assertThat(offered).as("the children of %s", at).allSatisfy(c -> assertThat(parent == null
                    ? !c.contains(" > ") : c.startsWith(parent + " > ") || c.equals(parent)).isTrue());
            at = offered.stream().filter(c -> "Furniture > Chairs > Table & Bar Stools".startsWith(c) && !c.equals(parent))
                    .findFirst().orElseThrow();
        }
        assertThat(at).isEqualTo("Furniture > Chairs > Table & Bar Stools");
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
    void aBatchApiJobWalksTheTreeInRoundsOfBatchesAtBatchPrice() {
        fake.oracle(Map.of(FakeOpenAi.itemKey("ZORBLAX widget, green", null), Set.of("Furniture > Futon Pads")), 1.0);
        var array = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        ITEMS.subList(0, 5).forEach(i -> array.addObject().put("id", i.id()).put("name", i.name()).put("description", i.description()));
        array.addObject().put("id", "z").put("name", "ZORBLAX widget, green");
        String id = given().contentType(ContentType.JSON).body("{\"taxonomy\": \"google\", \"classifier\": \"llm\", "
                + "\"mode\": \"text\", \"execution\": \"batch-api\", \"items\": " + array + "}")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().path("id");
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(() ->
                "completed".equals(given().get("/api/v1/jobs/" + id).then().extract().path("status")));
        JsonPath job = given().get("/api/v1/jobs/" + id).then().extract().jsonPath();
        assertThat(job.getInt("counts.ok")).as(job.prettify()).isEqualTo(6);
        assertThat(job.getDouble("cost_report.batch_api_usd")).as("every round at batch price").isEqualTo(job.getDouble("cost_usd"));
        List<Map<String, Object>> results = given().get("/api/v1/jobs/" + id + "/results").then().statusCode(200)
                .extract().jsonPath().getList("items");
        assertThat(results).allSatisfy(r -> assertThat(GOOGLE).contains((String) r.get("category")));
        assertThat(results).filteredOn(r -> "z".equals(r.get("id"))).singleElement()
                .satisfies(r -> assertThat(r.get("category")).isEqualTo("Furniture > Futon Pads"));

        List<com.fasterxml.jackson.databind.JsonNode> zLines = fake.batchApi().uploadedLines().stream()
                .filter(l -> l.path("custom_id").asText().equals(id + "/5")).toList();
        assertThat(zLines).as("its shortlist, the top of the tree, then Furniture: a batch each").hasSize(3);
        assertThat(enumOf(zLines.get(0))).hasSize(26).endsWith("None of these");
        assertThat(enumOf(zLines.get(1))).hasSize(21);
        assertThat(enumOf(zLines.get(2))).startsWith("Furniture").contains("Furniture > Futon Pads");
        assertThat(fake.batchApi().batchesCreated()).isGreaterThanOrEqualTo(3);
        assertThat(fake.invalidRequests()).isEmpty();
    }

    private static List<String> enumOf(com.fasterxml.jackson.databind.JsonNode line) {
        List<String> values = new java.util.ArrayList<>();
        line.path("body").path("response_format").path("json_schema").path("schema").path("properties").path("category")
                .path("enum").forEach(v -> values.add(v.asText()));
        return values;
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
        assertThat(sizes).containsExactly(26);
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
