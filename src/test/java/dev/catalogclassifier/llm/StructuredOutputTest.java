package dev.catalogclassifier.llm;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.folder.CategoryRun;
import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.PhotoServer;
import dev.catalogclassifier.testsupport.TestImages;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Every model call carries a strict JSON schema whose {@code category} is an {@code enum} of the categories the call
 * may choose from, so the fake, like a real model, cannot answer off the list; a provider that refuses schemas
 * ({@code plain}, set to {@code structured-output=prompt}, whose key the fake answers 400 for any JSON schema) gets
 * the schema in its prompt, answers the way a weak model fills a free string, and is asked again.
 */
@QuarkusTest
@WithTestResource(value = FakeOpenAiResource.class, initArgs = {
        @ResourceArg(name = "classifier.llm.models", value = "gpt-4o-mini,gpt-4o"),
        @ResourceArg(name = "classifier.llm.providers.plain.base-url", value = "${fake}"),
        @ResourceArg(name = "classifier.llm.providers.plain.api-keys", value = "plain-key"),
        @ResourceArg(name = "classifier.llm.providers.plain.models", value = "gpt-4.1-nano"),
        @ResourceArg(name = "classifier.llm.providers.plain.structured-output", value = "prompt"),
        @ResourceArg(name = "schema-refusing-keys", value = "plain-key") })
class StructuredOutputTest {

    static final List<String> TAXONOMY = List.of("Beds", "Chairs", "Tables & desks", "Sofas & armchairs",
            "Bookcases & shelving units");
    /** Twenty items, each of which names its category in words a weak model would bend. */
    static final List<String> ITEMS = IntStream.range(0, 20)
            .mapToObj(i -> List.of("MALM bed", "ADDE chair", "LACK table", "EKTORP sofa", "BILLY bookcase").get(i % 5) + " " + i)
            .toList();

    @InjectFakeOpenAi
    FakeOpenAi fake;

    @Inject
    CategoryRun folders;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void aSingleItemsCallIsHeldToTheTaxonomyByAStrictSchema() {
        classify("gpt-4o-mini", 1, ITEMS).body("results.status", everyItem(equalTo("ok")))
                .body("results.attempts", everyItem(equalTo(1)));
        assertThat(fake.calls()).as("no item needed a second call").hasSize(ITEMS.size());
        JsonNode format = fake.calls().getFirst().responseFormat();
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("strict").asBoolean()).as(format.toString()).isTrue();
        JsonNode schema = format.path("json_schema").path("schema");
        assertThat(schema.path("additionalProperties").asBoolean(true)).as(schema.toString()).isFalse();
        assertThat(names(schema.path("required"))).containsExactly("category", "confidence");
        assertThat(names(schema.path("properties").path("category").path("enum"))).containsExactlyElementsOf(TAXONOMY);
        assertThat(fake.calls()).allSatisfy(c -> assertThat(c.categoryEnum()).containsExactlyElementsOf(TAXONOMY));
    }

    @Test
    void theWeakModelGetsEveryItemRightOnlyUnderTheEnum() {
        ValidatableResponse strict = classify("gpt-4o-mini", 1, ITEMS);
        List<String> categories = strict.extract().jsonPath().getList("results.category");
        assertThat(categories).as("each item's category").containsExactlyElementsOf(ITEMS.stream().map(StructuredOutputTest::expected).toList());
    }

    @Test
    void aPackCallHoldsEachEntryToTheTaxonomy() {
        classify("gpt-4o-mini", 5, ITEMS.subList(0, 5)).body("results.status", everyItem(equalTo("ok")));
        assertThat(fake.calls()).hasSize(1);
        JsonNode schema = fake.calls().getFirst().responseFormat().path("json_schema").path("schema");
        JsonNode entry = schema.path("properties").path("answers").path("items");
        assertThat(names(entry.path("required"))).containsExactly("id", "category", "confidence");
        assertThat(names(entry.path("properties").path("category").path("enum"))).containsExactlyElementsOf(TAXONOMY);
    }

    @Test
    void aPhotoCallHoldsTheCategoryAndTheConditionToTheirLists() throws IOException {
        try (PhotoServer photos = new PhotoServer()) {
            String sofa = photos.serve("/sofa.jpg", TestImages.jpeg(TestImages.sharp(800, 600)), "image/jpeg");
            askAboutPhoto(sofa);
        }
        JsonNode schema = fake.calls().getFirst().responseFormat().path("json_schema").path("schema");
        assertThat(names(schema.path("properties").path("category").path("enum"))).containsExactlyElementsOf(TAXONOMY);
        assertThat(names(schema.path("properties").path("features").path("items").path("properties").path("condition")
                .path("enum"))).containsExactlyElementsOf(AnswerSchemas.CONDITIONS);
    }

    private static void askAboutPhoto(String sofa) {
        given().contentType(ContentType.JSON).body("{\"taxonomy\": " + json(TAXONOMY) + ", \"mode\": \"image\", \"items\": "
                + "[{\"id\": \"p\", \"name\": \"EKTORP sofa\", \"image_url\": \"" + sofa + "\"}]}")
                .when().post("/api/v1/classifications").then().statusCode(200)
                .body("results[0].status", equalTo("ok")).body("results[0].category", equalTo("Sofas & armchairs"));
    }

    @Test
    void aFolderBatchCallHasAStrictSchemaToo(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path photo = Files.write(dir.resolve("chair.jpg"), TestImages.jpeg(TestImages.sharp(640, 480)));
        CategoryRun.Outcome outcome = folders.run(new CategoryRun.Folder("P1", "chairs", List.of(photo)),
                new PrintStream(java.io.OutputStream.nullOutputStream()), () -> false);
        assertThat(outcome.failure()).isNull();
        JsonNode format = fake.calls().getFirst().responseFormat();
        assertThat(format.path("json_schema").path("strict").asBoolean()).as(format.toString()).isTrue();
        JsonNode feature = format.path("json_schema").path("schema").path("properties").path("features").path("items");
        assertThat(names(feature.path("required"))).containsExactly("feature_name", "description", "condition", "quality_rating");
        assertThat(names(feature.path("properties").path("condition").path("enum"))).containsExactlyElementsOf(AnswerSchemas.CONDITIONS);
    }

    @Test
    void aProviderThatRefusesSchemasIsToldTheSchemaInThePromptAndOffListAnswersAreAskedAgain() {
        classify("gpt-4.1-nano", 1, ITEMS).body("results.status", everyItem(equalTo("ok")))
                .body("results.attempts", everyItem(equalTo(2)));
        List<FakeOpenAi.Call> calls = fake.calls();
        assertThat(calls).hasSize(2 * ITEMS.size()).allSatisfy(c -> {
            assertThat(c.key()).isEqualTo("plain-key");
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.responseFormat().isMissingNode()).as("no response_format: %s", c.responseFormat()).isTrue();
            assertThat(c.system()).contains("\"enum\"").contains("Tables & desks");
        });
        assertThat(calls.stream().filter(c -> !c.prompt().contains("could not be used")))
                .as("the first answer of each item").hasSize(ITEMS.size());
    }

    @Test
    void anAnswerOutsideTheTaxonomyIsAskedAgainThenFails() {
        given().contentType(ContentType.JSON).body("{\"taxonomy\": " + json(TAXONOMY)
                + ", \"model\": \"gpt-4.1-nano\", \"items\": [{\"id\": \"a\", \"name\": \"LACK table [outside]\"}]}")
                .when().post("/api/v1/classifications").then().statusCode(200)
                .body("results[0].status", equalTo("failed"))
                .body("results[0].error.code", equalTo("invalid_answer"))
                .body("results[0].error.message", containsString("Spaceships"))
                .body("results[0].attempts", equalTo(2))
                .body("results[0]", not(org.hamcrest.Matchers.hasKey("category")));
    }

    @Test
    void theProvidersListSaysHowEachProviderIsToldTheShape() {
        given().get("/api/v1/providers").then().statusCode(200)
                .body("providers.find { it.name == 'openai' }.structured_output", equalTo("strict_schema"))
                .body("providers.find { it.name == 'plain' }.structured_output", equalTo("prompt"));
    }

    /** What the fake's word match finds for an item: the taxonomy category its words name. */
    private static String expected(String item) {
        return TAXONOMY.get(List.of("bed", "chair", "table", "sofa", "bookcase").indexOf(item.split(" ")[1]));
    }

    private static ValidatableResponse classify(String model, int pack, List<String> names) {
        String items = IntStream.range(0, names.size())
                .mapToObj(i -> "{\"id\": \"i" + i + "\", \"name\": \"" + names.get(i) + "\"}").collect(Collectors.joining(","));
        return given().contentType(ContentType.JSON).body("{\"taxonomy\": " + json(TAXONOMY) + ", \"model\": \"" + model
                + "\", \"pack\": " + pack + ", \"items\": [" + items + "]}")
                .when().post("/api/v1/classifications").then().statusCode(200);
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
