package dev.catalogclassifier.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.catalogclassifier.testsupport.FakeOpenAi;
import dev.catalogclassifier.testsupport.FakeOpenAiResource;
import dev.catalogclassifier.testsupport.InjectFakeOpenAi;
import dev.catalogclassifier.testsupport.LogCapture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@WithTestResource(FakeOpenAiResource.class)
class ValidationTest {

    @InjectFakeOpenAi
    FakeOpenAi fake;

    LogCapture errors;

    @BeforeEach
    void start() {
        fake.reset();
        errors = LogCapture.errors();
    }

    @AfterEach
    void noErrorLogged() {
        errors.close();
        assertThat(errors.messages()).as("bad input is the caller's mistake, not an error of ours").isEmpty();
        assertThat(fake.calls()).as("a rejected request spends nothing").isEmpty();
    }

    static Stream<Arguments> badRequests() {
        String name = "{\"id\": \"a\", \"name\": \"chair\"}";
        String thousandAndOne = IntStream.range(0, 1001)
                .mapToObj(i -> "{\"id\": \"i" + i + "\", \"name\": \"chair\"}").collect(Collectors.joining(","));
        String huge = "x".repeat(10_001);
        return Stream.of(
                Arguments.of("empty items", "{\"items\": []}", "items"),
                Arguments.of("no items at all", "{\"mode\": \"text\"}", "items"),
                Arguments.of("more than 1,000 items", "{\"items\": [" + thousandAndOne + "]}", "items"),
                Arguments.of("duplicate ids", "{\"items\": [" + name + "," + name + "]}", "items[1].id"),
                Arguments.of("missing id", "{\"items\": [{\"name\": \"chair\"}]}", "items[0].id"),
                Arguments.of("id too long", "{\"items\": [{\"id\": \"" + "i".repeat(129) + "\", \"name\": \"c\"}]}", "items[0].id"),
                Arguments.of("neither name nor image_url", "{\"items\": [{\"id\": \"a\", \"description\": \"d\"}]}", "items[0]"),
                Arguments.of("oversize name", "{\"items\": [{\"id\": \"a\", \"name\": \"" + huge + "\"}]}", "items[0].name"),
                Arguments.of("oversize description", "{\"items\": [{\"id\": \"a\", \"name\": \"c\", \"description\": \"" + huge + "\"}]}", "items[0].description"),
                Arguments.of("image_url not http", "{\"items\": [{\"id\": \"a\", \"image_url\": \"file:///etc/passwd\"}]}", "items[0].image_url"),
                Arguments.of("unknown mode", "{\"mode\": \"psychic\", \"items\": [" + name + "]}", "mode"),
                Arguments.of("unknown classifier", "{\"classifier\": \"oracle\", \"items\": [" + name + "]}", "classifier"),
                Arguments.of("unknown toggle", "{\"toggle\": 7, \"items\": [" + name + "]}", "toggle"),
                Arguments.of("taxonomy of one", "{\"taxonomy\": [\"Beds\"], \"items\": [" + name + "]}", "taxonomy"),
                Arguments.of("duplicate taxonomy", "{\"taxonomy\": [\"Beds\", \"Chairs\", \"beds \"], \"items\": [" + name + "]}", "taxonomy[2]"),
                Arguments.of("blank category", "{\"taxonomy\": [\"Beds\", \" \"], \"items\": [" + name + "]}", "taxonomy[1]"),
                Arguments.of("model not allowed", "{\"model\": \"gpt-5-ultra\", \"items\": [" + name + "]}", "model"),
                Arguments.of("items of the wrong type", "{\"items\": {\"id\": 1}}", "items"),
                Arguments.of("a NUL in a name", "{\"items\": [{\"id\": \"a\", \"name\": \"MALM\\u0000bed\"}]}", "items[0].name"),
                Arguments.of("a NUL in a description", "{\"items\": [{\"id\": \"a\", \"name\": \"c\", \"description\": \"\\u0000\"}]}",
                        "items[0].description"),
                Arguments.of("a lone surrogate in an id", "{\"items\": [{\"id\": \"s\\udc001\", \"name\": \"c\"}]}", "items[0].id"),
                Arguments.of("a NUL in an attribute", "{\"items\": [{\"id\": \"a\", \"name\": \"c\", \"attributes\": {\"m\": \"x\\u0000\"}}]}",
                        "items[0].attributes.m"),
                Arguments.of("a NUL in a category", "{\"taxonomy\": [\"Beds\", \"Cha\\u0000irs\"], \"items\": [" + name + "]}", "taxonomy[1]"),
                Arguments.of("a fraction for pack", "{\"pack\": 2.5, \"items\": [" + name + "]}", "pack"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void eachBrokenRuleIsA400ProblemNamingTheField(String rule, String body, String field) {
        postJson(body).body("errors.field", hasItem(field));
        postSse(body).body("errors.field", hasItem(field));
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        postJson("{\"mode\": \"x\", \"taxonomy\": [\"A\"], \"model\": \"m\", \"items\": [{\"id\": \"a\"}]}")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("items[0]", "mode", "taxonomy", "model"));
    }

    /** Paths and messages as a caller reads them: the JSON's names, each rule once, in path order. */
    @Test
    void eachBrokenRuleNamesItsJsonPathAndSaysWhatIsWrong() {
        String huge = "x".repeat(10_001);
        String body = """
                {"mode": "psychic", "classifier": "oracle", "image_detail": "medium", "model": "gpt-5-ultra",
                 "pack": 0, "budget_usd": -1, "taxonomy": ["Beds", " ", "beds"],
                 "items": [{"id": "a", "name": "chair"}, {"id": "a", "name": "x"}, {"description": "d"},
                           {"id": "b", "image_url": "ftp://x"}, null,
                           {"id": "c", "name": "c", "attributes": {"material": "%s"}}]}""".formatted(huge);
        List<String> errors = postJson(body).extract().jsonPath().getList("errors", java.util.Map.class).stream()
                .map(e -> e.get("field") + ": " + e.get("message")).toList();
        assertThat(errors).containsExactly(
                "budget_usd: must be a positive amount of US dollars",
                "classifier: must be one of llm, local, cascade",
                "image_detail: must be high or low",
                "items[1].id: repeats the id of items[0]",
                "items[2]: needs a name or an image_url",
                "items[2].id: is required",
                "items[3].image_url: must be an http or https URL",
                "items[4]: must be an object",
                "items[5].attributes.material: is longer than 10000 characters",
                "mode: must be one of auto, text, image",
                "model: is not allowed here; choose one of gpt-4o-mini, gpt-4o, gpt-4.1-mini, gpt-4.1-nano",
                "pack: must be from 1 to 20 items per model call",
                "taxonomy[1]: must not be blank",
                "taxonomy[2]: repeats taxonomy[0]");
    }

    @Test
    void textThatCannotBeStoredAsSentIsA400InJobsAndTaxonomiesToo() {
        given().contentType(ContentType.JSON).body("{\"items\": [{\"id\": \"s\\udc001\", \"name\": \"MALM\\u0000bed\"}]}")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("items[0].id", "items[0].name"))
                .body("errors.message", hasItem("contains an unpaired UTF-16 surrogate (\\udc00), which is not Unicode text"))
                .body("errors.message", hasItem("contains a NUL character (\\u0000), which cannot be stored"));
        given().contentType(ContentType.JSON)
                .body("{\"categories\": [\"Beds\", \"Chairs\"], \"examples\": [{\"text\": \"MALM\\u0000\", \"category\": \"Beds\"}]}")
                .put("/api/v1/taxonomies/nul-examples").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("examples[0].text"));
        given().get("/api/v1/taxonomies/nul-examples").then().statusCode(404);
    }

    @Test
    void anythingAfterTheJsonObjectIsRefused() {
        postJson("{\"items\": [{\"id\": \"a\", \"name\": \"chair\"}]} {\"items\": []}")
                .body("detail", equalTo("The body has more after its JSON value."))
                .body("errors[0].message", equalTo("must be one JSON value with nothing after it"));
        postJson("{\"items\": [{\"id\": \"a\", \"name\": \"chair\"}]} garbage").body("status", equalTo(400));
    }

    @Test
    void validJsonThatIsNotAnObjectIsSaidToBeSo() {
        for (String body : new String[] { "[1, 2]", "\"items\"", "42" }) {
            postJson(body).body("detail", equalTo("The body is JSON but not a JSON object."))
                    .body("errors[0].field", equalTo("")).body("errors[0].message", equalTo("must be a JSON object"));
        }
    }

    /** Past Jackson's own limit (20 million characters) a text gets the same answer as one just over ours. */
    @Test
    void aFiftyMegabyteNameIsLongerThanTheLimitLikeATenMegabyteOne() {
        for (int megabytes : new int[] { 10, 50 }) {
            String body = "{\"items\": [{\"id\": \"a\", \"name\": \"" + "x".repeat(megabytes * 1_000_000) + "\"}]}";
            postJson(body).body("errors[0].field", equalTo("items[0].name"))
                    .body("errors[0].message", equalTo("is longer than 10000 characters"));
        }
    }

    @Test
    void aCategoryThatIsNotAStringIsSaidToBeOne() {
        postJson("{\"taxonomy\": [1, \"Beds\", true], \"items\": [{\"id\": \"a\", \"name\": \"chair\"}]}")
                .body("errors.field", org.hamcrest.Matchers.contains("taxonomy[0]", "taxonomy[2]"))
                .body("errors.message", org.hamcrest.Matchers.contains("must be a category name (a string), not a number",
                        "must be a category name (a string), not a boolean"));
    }

    @Test
    void malformedJsonIsA400ProblemWithoutInternals() {
        for (String body : new String[] { "{\"items\": [{", "not json", "[1, 2", "" }) {
            postJson(body).body("detail", not(containsString("Exception")));
        }
    }

    private static ValidatableResponse postJson(String body) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .when().post("/api/v1/classifications")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Invalid request"))
                .body(not(containsString("Exception")))
                .body(not(containsString("at dev.")))
                .body(not(containsString("com.fasterxml")));
    }

    private static ValidatableResponse postSse(String body) {
        return given().contentType(ContentType.JSON).accept("text/event-stream").body(body)
                .when().post("/api/v1/classifications")
                .then().statusCode(400)
                .contentType("application/problem+json");
    }
}
