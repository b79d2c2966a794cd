package dev.catalogclassifier.taxonomy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Named taxonomies: stored with their examples, named by requests and jobs, and used by the local classifier.
 * The categories are deliberately meaningless ("Alpha", "Beta"): only the examples can tell the classifier
 * which is which, so a right answer shows the examples were used.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class TaxonomyResourceTest {

    /** Seating is Alpha, tables are Beta; nothing in the names says so. */
    static final String CODED = """
            {"categories": ["Alpha", "Beta"],
             "descriptions": {"Alpha": "group A"},
             "examples": [
               {"text": "EKTORP 3-seat sofa", "category": "Alpha"},
               {"text": "POÄNG Armchair", "category": "Alpha"},
               {"text": "KIVIK Corner sofa, 6-seat", "category": "alpha"},
               {"text": "FRIHETEN Sofa-bed, 230x151 cm", "category": "Alpha"},
               {"text": "EKEDALEN Dining table, 120x80 cm", "category": "Beta"},
               {"text": "MICKE Desk, 105x50 cm", "category": "Beta"},
               {"text": "LACK Coffee table", "category": "Beta"},
               {"text": "HEMNES Bedside table", "category": "Beta"}]}""";

    /** The same categories and descriptions, the examples' labels the other way round: seating is Beta here. */
    static final String SWAPPED = """
            {"categories": ["Alpha", "Beta"],
             "descriptions": {"Alpha": "group A"},
             "examples": [
               {"text": "EKTORP 3-seat sofa", "category": "Beta"},
               {"text": "POÄNG Armchair", "category": "Beta"},
               {"text": "EKEDALEN Dining table, 120x80 cm", "category": "Alpha"},
               {"text": "MICKE Desk, 105x50 cm", "category": "Alpha"}]}""";

    static final String TWO_ITEMS = """
            [{"id": "a", "name": "VIMLE", "description": "2-seat sofa, 180x98 cm"},
             {"id": "b", "name": "NORDEN", "description": "Gateleg table"}]""";

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @BeforeEach
    void reset() {
        fake.reset();
        given().delete("/api/v1/taxonomies/coded");
        given().delete("/api/v1/taxonomies/swapped");
    }

    @Test
    void putCreatesThenReplacesAndGetSummarisesWithoutTheExamples() {
        given().contentType(ContentType.JSON).body(CODED).when().put("/api/v1/taxonomies/coded")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/taxonomies/coded"))
                .body("name", equalTo("coded"))
                .body("categories", contains("Alpha", "Beta"))
                .body("examples", equalTo(8))
                .body("examples_by_category.Alpha", equalTo(4))
                .body("examples_by_category.Beta", equalTo(4))
                .body("item_text", equalTo("name_and_description"))
                .body("source", equalTo("api"));
        given().get("/api/v1/taxonomies/coded").then().statusCode(200)
                .body("descriptions.Alpha", equalTo("group A"))
                .body("$", not(hasKey("examples_list")))
                .body(not(containsString("EKTORP")));

        given().contentType(ContentType.JSON).body("{\"categories\": [\"Alpha\", \"Beta\", \"Gamma\"]}")
                .when().put("/api/v1/taxonomies/coded")
                .then().statusCode(200).body("categories", contains("Alpha", "Beta", "Gamma")).body("examples", equalTo(0));
    }

    @Test
    void theListNamesEveryStoredTaxonomyWithItsCategoriesAndNotADeletedOne() {
        given().contentType(ContentType.JSON).body(CODED).put("/api/v1/taxonomies/coded").then().statusCode(201);
        given().contentType(ContentType.JSON).body(SWAPPED).put("/api/v1/taxonomies/swapped").then().statusCode(201);

        given().get("/api/v1/taxonomies").then().statusCode(200)
                .body("taxonomies.name", hasItem("coded")).body("taxonomies.name", hasItem("swapped"))
                .body("taxonomies.find { it.name == 'coded' }.categories", contains("Alpha", "Beta"))
                .body("taxonomies.find { it.name == 'coded' }.examples", equalTo(8))
                .body("taxonomies.find { it.name == 'swapped' }.examples", equalTo(4))
                .body("taxonomies.find { it.name == 'coded' }.status", equalTo("ready"))
                .body(not(containsString("EKTORP")))
                // the taxonomy a request that names none is classified into, as the README's tour shows
                .body("default_taxonomy.categories", hasItem("Sofas & armchairs"))
                .body("default_taxonomy.categories.size()", equalTo(17))
                .body("default_taxonomy.description", containsString("sends no taxonomy"));

        given().delete("/api/v1/taxonomies/swapped").then().statusCode(204);
        given().get("/api/v1/taxonomies").then().body("taxonomies.name", not(hasItem("swapped")));
    }

    @Test
    void deleteRemovesItAndUnknownNamesAreNotFound() {
        given().contentType(ContentType.JSON).body(CODED).put("/api/v1/taxonomies/coded").then().statusCode(201);
        given().delete("/api/v1/taxonomies/coded").then().statusCode(204);
        given().get("/api/v1/taxonomies/coded").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("coded"));
        given().delete("/api/v1/taxonomies/coded").then().statusCode(404);
    }

    @Test
    void aBadCategoryInAnExampleIsA400NamingTheRowAndNothingIsStored() {
        String body = CODED.replace("\"LACK Coffee table\", \"category\": \"Beta\"", "\"LACK Coffee table\", \"category\": \"Tables\"");
        given().contentType(ContentType.JSON).body(body).when().put("/api/v1/taxonomies/coded")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("examples[6].category"))
                .body("errors[0].message", containsString("Tables"));
        given().get("/api/v1/taxonomies/coded").then().statusCode(404);
    }

    @Test
    void aOneCategoryTaxonomyIsBlamedOnItsListNotOnItsExamples() {
        given().contentType(ContentType.JSON)
                .body("{\"categories\": [\"Beds\"], \"descriptions\": {\"Beds\": \"beds\"}, "
                        + "\"examples\": [{\"text\": \"MALM bed\", \"category\": \"Beds\"}]}")
                .when().put("/api/v1/taxonomies/single")
                .then().statusCode(400)
                .body("errors.field", contains("categories"))
                .body("errors[0].message", equalTo("needs at least 2 categories"));
    }

    @Test
    void otherBadDefinitionsAreNamedByField() {
        given().contentType(ContentType.JSON)
                .body("{\"categories\": [\"A\", \"a\"], \"descriptions\": {\"C\": \"x\"}, \"item_text\": \"sku\", "
                        + "\"examples\": [{\"category\": \"A\"}]}")
                .when().put("/api/v1/taxonomies/bad")
                .then().statusCode(400)
                .body("errors.field", contains("categories[1]", "descriptions.C", "item_text", "examples[0].text"));
        given().contentType(ContentType.JSON).body(CODED).when().put("/api/v1/taxonomies/no spaces!")
                .then().statusCode(400).body("errors.field", contains("name"));
    }

    @Test
    void aRequestNamesTheTaxonomyAndTheLocalClassifierLearnsFromItsExamples() {
        given().contentType(ContentType.JSON).body(CODED).put("/api/v1/taxonomies/coded").then().statusCode(201);
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": \"coded\", \"classifier\": \"local\", \"items\": " + TWO_ITEMS + "}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results.category", contains("Alpha", "Beta"))
                .body("results.model", everyItem(equalTo("local-minilm-l6-v2-q")))
                .body("summary.cost_usd", equalTo(0.0f))
                .body("summary.settled_locally", equalTo(2));
        assertThat(fake.calls()).isEmpty();
    }

    /** Same labels and descriptions, opposite examples, opposite answers: the labels alone cannot be what decides. */
    @Test
    void theExamplesDecideNotTheLabels() {
        given().contentType(ContentType.JSON).body(SWAPPED).put("/api/v1/taxonomies/swapped").then().statusCode(201);
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": \"swapped\", \"classifier\": \"local\", \"items\": " + TWO_ITEMS + "}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200).body("results.category", contains("Beta", "Alpha"));
    }

    /**
     * Where names are series ("ALPHA…" sofas and "BETA…" tables would mislead), the taxonomy reads descriptions
     * only, and examples given as name and description are read the same way as items.
     */
    @Test
    void aTaxonomyCanReadDescriptionsOnlyForCataloguesWhoseNamesAreSeries() {
        String byDescription = """
                {"categories": ["Alpha", "Beta"], "item_text": "description", "examples": [
                  {"name": "TABLEHAVEN", "description": "3-seat sofa", "category": "Alpha"},
                  {"name": "TABLEHAVEN", "description": "Armchair", "category": "Alpha"},
                  {"name": "SOFAVIK", "description": "Dining table", "category": "Beta"},
                  {"name": "SOFAVIK", "description": "Desk, 120x60 cm", "category": "Beta"}]}""";
        given().contentType(ContentType.JSON).body(byDescription).put("/api/v1/taxonomies/coded")
                .then().statusCode(201).body("item_text", equalTo("description"));
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body("""
                {"taxonomy": "coded", "classifier": "local", "items": [
                  {"id": "a", "name": "SOFAVIK", "description": "2-seat sofa"},
                  {"id": "b", "name": "TABLEHAVEN", "description": "Coffee table"}]}""")
                .when().post("/api/v1/classifications")
                .then().statusCode(200).body("results.category", contains("Alpha", "Beta"));
    }

    /**
     * Every example says "Frame"; only the sizes tell a wardrobe's frame (58 cm deep, over 2 m tall) from a TV
     * bench's (40 cm deep, low). The two items get opposite answers, so neither can be a tie broken by order; the
     * sizes also survive storage, since the classifier reads the stored examples.
     */
    @Test
    void examplesOfAboutTheItemsSizeCountAsNearer() {
        String frames = """
                {"categories": ["Alpha", "Beta"], "item_text": "description", "examples": [
                  {"name": "TALLSKAP", "description": "Frame, 100x58x236 cm", "category": "Alpha"},
                  {"text": "Frame, 50x58x201 cm", "category": "Alpha"},
                  {"name": "LAGBANK", "description": "Frame, 120x40x64 cm", "category": "Beta"},
                  {"text": "Frame, 180x40x38 cm", "category": "Beta"}]}""";
        classifyLocally("frames", frames, """
                [{"id": "low", "name": "NYBANK", "description": "Frame, 150x40x50 cm"},
                 {"id": "tall", "name": "NYSKAP", "description": "Frame, 75x58x236 cm"},
                 {"id": "unsized", "name": "NYRAM", "description": "Frame"}]""")
                .body("results[0].category", equalTo("Beta"))
                .body("results[1].category", equalTo("Alpha"));
    }

    @Test
    void whereTheExamplesAreSplitTheLabelDescriptionsDecide() {
        String split = """
                {"categories": ["Alpha", "Beta"], "item_text": "description",
                 "descriptions": {"Alpha": "wardrobes and clothes storage", "Beta": "TV benches and media furniture"},
                 "examples": [{"text": "Frame", "category": "Alpha"}, {"text": "Frame", "category": "Beta"}]}""";
        classifyLocally("split", split, """
                [{"id": "clothes", "name": "NYSKAP", "description": "Frame for clothes"},
                 {"id": "tv", "name": "NYBANK", "description": "Frame for a TV"}]""")
                .body("results[0].category", equalTo("Alpha"))
                .body("results[1].category", equalTo("Beta"));
    }

    /**
     * Stores {@code definition} as taxonomy {@code name}, classifies {@code items} (a JSON array) against it with the
     * local classifier, and checks every item was classified.
     */
    private static ValidatableResponse classifyLocally(String name, String definition, String items) {
        given().contentType(ContentType.JSON).body(definition).put("/api/v1/taxonomies/" + name).then().statusCode(201);
        return given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": \"" + name + "\", \"classifier\": \"local\", \"items\": " + items + "}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200)
                .body("results.status", everyItem(equalTo("ok")));
    }

    @Test
    void anUnknownTaxonomyNameIsA400OnTheTaxonomyField() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": \"nowhere\", \"items\": [{\"id\": \"a\", \"name\": \"Sofa\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("taxonomy"))
                .body("errors[0].message", containsString("nowhere"));
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": 42, \"items\": [{\"id\": \"a\", \"name\": \"Sofa\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(400).body("errors.field", contains("taxonomy"));
    }

    @Test
    void theLlmSeesTheNamedTaxonomysDescriptions() {
        given().contentType(ContentType.JSON).body(CODED).put("/api/v1/taxonomies/coded").then().statusCode(201);
        given().contentType(ContentType.JSON).accept(ContentType.JSON)
                .body("{\"taxonomy\": \"coded\", \"classifier\": \"llm\", \"items\": [{\"id\": \"a\", \"name\": \"Thing\"}]}")
                .when().post("/api/v1/classifications")
                .then().statusCode(200).body("results[0].status", equalTo("ok"))
                .body("results[0].category", equalTo("Alpha"));
        assertThat(fake.calls()).hasSize(1);
        assertThat(fake.calls().getFirst().prompt()).contains("- Alpha: group A").contains("- Beta");
    }

    @Test
    void aJobNamesTheTaxonomyAndRunsOnTheLocalClassifier() {
        given().contentType(ContentType.JSON).body(CODED).put("/api/v1/taxonomies/coded").then().statusCode(201);
        String items = IntStream.range(0, 20).mapToObj(i -> i % 2 == 0
                ? "{\"id\": \"s" + i + "\", \"name\": \"SÖDERHAMN\", \"description\": \"" + (i + 2) + "-seat sofa\"}"
                : "{\"id\": \"t" + i + "\", \"name\": \"INGATORP\", \"description\": \"Extendable dining table\"}")
                .collect(Collectors.joining(","));
        String location = given().contentType(ContentType.JSON)
                .body("{\"taxonomy\": \"coded\", \"classifier\": \"local\", \"items\": [" + items + "]}")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(given().get(location).path("status")));
        List<String> categories = given().get(location + "/results?limit=100").then().statusCode(200)
                .body("items.model", everyItem(equalTo("local-minilm-l6-v2-q")))
                .extract().path("items.category");
        assertThat(categories).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> i % 2 == 0 ? "Alpha" : "Beta").toList());
        given().get(location).then().body("cost_usd", equalTo(0.0f)).body("counts.settled_locally", equalTo(20));
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aCascadeJobAsksTheModelOnlyAboutWhatTheLocalClassifierIsUnsureOf() {
        String location = given().contentType(ContentType.JSON).body("""
                {"classifier": "cascade", "taxonomy": ["Beds", "Chairs", "Tables & desks"], "items": [
                  {"id": "clear", "name": "MALM", "description": "Bed frame, high, 160x200 cm"},
                  {"id": "vague", "name": "Item 42"}]}""")
                .when().post("/api/v1/jobs").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(given().get(location).path("status")));
        given().get(location + "/results").then().statusCode(200)
                .body("items.model", contains("local-minilm-l6-v2-q", "gpt-4o-mini"))
                .body("items.category", hasItem("Beds"));
        given().get(location).then().body("counts.settled_locally", equalTo(1)).body("counts.ok", equalTo(2));
        assertThat(fake.calls()).extracting(FakeOpenAi.Call::item).containsExactly("Name: Item 42");
    }
}
