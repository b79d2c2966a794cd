package dev.catalogclassifier.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.testsupport.FakeOpenAi;

/**
 * The fake provider's oracle mode, as the benchmarks rely on it: right on the share of items it is told, the same items
 * every time, and otherwise another category of the call; asked over the real wire format.
 */
class OracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> CATEGORIES = List.of("Beds", "Chairs", "Tables & desks", "Wardrobes", "Sofas & armchairs");

    @Test
    void itIsRightOnTheStatedShareTheSameWayEachTimeAndOtherwiseNamesAnotherCategoryOfTheCall() throws Exception {
        Map<String, Set<String>> truth = new HashMap<>();
        IntStream.range(0, 400).forEach(i -> truth.put(FakeOpenAi.itemKey("ITEM" + i, "Thing " + i), Set.of(CATEGORIES.get(i % 5))));
        try (FakeOpenAi fake = new FakeOpenAi(0)) {
            fake.oracle(truth, 0.92);
            int right = 0;
            for (int i = 0; i < 400; i++) {
                String first = ask(fake, i, CATEGORIES);
                assertThat(ask(fake, i, CATEGORIES)).as("item %d asked again", i).isEqualTo(first);
                assertThat(CATEGORIES).contains(first);
                right += first.equals(CATEGORIES.get(i % 5)) ? 1 : 0;
            }
            assertThat(right / 400.0).as("the share right").isBetween(0.89, 0.95);
            // when the call does not offer the right category, it can only be wrong, and stays within the call
            assertThat(ask(fake, 0, List.of("Chairs", "Wardrobes"))).isIn("Chairs", "Wardrobes");
            assertThat(fake.invalidRequests()).as("every request held to OpenAI's published schema").isEmpty();
        }
    }

    @Test
    void aTruthGivenAsTaxonomyPathsMakesACategoryBelowItOrAnAncestorOfItRight() throws Exception {
        List<String> tree = List.of("Furniture", "Furniture > Beds & Accessories", "Furniture > Beds & Accessories > Beds",
                "Furniture > Chairs", "Furniture > Chairs > Table & Bar Stools", "Home & Garden > Lighting");
        Map<String, Set<String>> truth = new HashMap<>();
        IntStream.range(0, 200).forEach(i -> truth.put(FakeOpenAi.itemKey("BED" + i, null),
                Set.of("Furniture > Beds & Accessories")));
        truth.put(FakeOpenAi.itemKey("STOOL", null), Set.of("Furniture > Chairs > Table & Bar Stools"));
        try (FakeOpenAi fake = new FakeOpenAi(0)) {
            fake.oracle(truth, 1.0);
            for (int i = 0; i < 200; i += 40) {
                // the offered category under the right path, or on the way down to it, is the answer
                assertThat(askItem(fake, "BED" + i, List.of("Home & Garden > Lighting", "Furniture > Beds & Accessories > Beds")))
                        .isEqualTo("Furniture > Beds & Accessories > Beds");
                assertThat(askItem(fake, "BED" + i, List.of("Home & Garden > Lighting", "Furniture"))).isEqualTo("Furniture");
                assertThat(askItem(fake, "BED" + i, List.of("Furniture", "Furniture > Beds & Accessories > Beds")))
                        .as("the category under the path, before an ancestor").isEqualTo("Furniture > Beds & Accessories > Beds");
                assertThat(askItem(fake, "BED" + i, List.of("Furniture > Chairs", "Home & Garden > Lighting")))
                        .as("no right one offered: another of the call").isIn("Furniture > Chairs", "Home & Garden > Lighting");
                assertThat(askItem(fake, "BED" + i, List.of("Furniture > Chairs", "None of these")))
                        .as("no right one offered, and a way out: it says none fits").isEqualTo("None of these");
                assertThat(askItem(fake, "BED" + i, List.of("Furniture > Beds & Accessories > Beds", "None of these")))
                        .as("a right one offered: never the way out").isEqualTo("Furniture > Beds & Accessories > Beds");
            }
            assertThat(askItem(fake, "STOOL", List.of("Furniture", "Furniture > Beds & Accessories", "Furniture > Chairs")))
                    .as("walking down, the nearest ancestor: not the node it stands on").isEqualTo("Furniture > Chairs");
            assertThat(tree).allMatch(c -> FakeOpenAi.onPath(c, c));
            assertThat(FakeOpenAi.onPath("Furniture > Chairs", "Furniture > Chairs > Table & Bar Stools")).isTrue();
            assertThat(FakeOpenAi.onPath("Furniture > Chairs > Table & Bar Stools", "Furniture > Chairs")).isTrue();
            assertThat(FakeOpenAi.onPath("Furniture > Chair", "Furniture > Chairs")).as("a prefix of a name is not an ancestor").isFalse();
            assertThat(fake.invalidRequests()).isEmpty();
        }
    }

    @Test
    void aStrictSchemaBreakingOpenAisStrictModeRulesIsRefused() throws Exception {
        try (FakeOpenAi fake = new FakeOpenAi(0)) {
            ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o-mini");
            body.putArray("messages").addObject().put("role", "user").put("content", "Categories:\n- A\n\nItem:\nName: x\n");
            ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                    .put("name", "answer").put("strict", true).putObject("schema").put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            // 300 values of 60 characters: 18,000 characters, over the 15,000 a strict enum of more than 250 may hold
            properties.putObject("category").put("type", "string").set("enum", JSON.valueToTree(IntStream.range(0, 300)
                    .mapToObj(i -> String.format("Category number %03d ", i).repeat(3)).toList()));
            properties.putObject("confidence").put("type", "number");
            schema.putArray("required").add("category"); // confidence not required; additionalProperties not set
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer test")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(fake.invalidRequests()).singleElement().asString()
                    .contains("additionalProperties", "confidence is not required", "more than 15,000");
        }
    }

    @Test
    void aRequestOpenAiWouldRefuseIsRefusedAsOpenAiDoes() throws Exception {
        try (FakeOpenAi fake = new FakeOpenAi(0)) {
            // no messages, and a temperature out of range
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer test")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"gpt-4o-mini\", \"temperature\": 7}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(fake.invalidRequests()).hasSize(1);
            assertThat(fake.calls()).isEmpty();
        }
    }

    /** One chat completion for item {@code i}, its category held to {@code offered} by the schema, as the service asks. */
    private static String ask(FakeOpenAi fake, int i, List<String> offered) throws Exception {
        return ask(fake, "Name: ITEM" + i + "\nDescription: Thing " + i, offered);
    }

    /** An item of a name alone. */
    private static String askItem(FakeOpenAi fake, String name, List<String> offered) throws Exception {
        return ask(fake, "Name: " + name, offered);
    }

    private static String ask(FakeOpenAi fake, String item, List<String> offered) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o-mini");
        body.putArray("messages").addObject().put("role", "user").put("content",
                "Categories:\n- " + String.join("\n- ", offered) + "\n\nItem:\n" + item + "\n");
        ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .put("name", "answer").put("strict", true).putObject("schema").put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("category").put("type", "string").set("enum", JSON.valueToTree(offered));
        properties.putObject("confidence").put("type", "number");
        schema.putArray("required").add("category").add("confidence");
        schema.put("additionalProperties", false);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer test")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText());
        return answer.path("category").asText();
    }
}
