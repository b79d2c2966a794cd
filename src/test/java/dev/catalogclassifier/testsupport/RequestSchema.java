package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * OpenAI's own schema of a chat-completions request ({@code CreateChatCompletionRequest} of its published OpenAPI
 * document, {@code bench/data/openai-chat-schemas.json}), as JSON Schema 2020-12: what a real provider accepts.
 */
final class RequestSchema {

    private static final Path FILE = Path.of("bench", "data", "openai-chat-schemas.json");
    private static final Schema CHAT_REQUEST = load();
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestSchema() {
    }

    private static Schema load() {
        try {
            String document = Files.readString(FILE).strip();
            // the document's components, with the request as its root: its $refs resolve within the same document
            String rooted = "{\"$ref\": \"#/components/schemas/CreateChatCompletionRequest\"," + document.substring(1);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(rooted, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException("the fake provider validates requests against " + FILE.toAbsolutePath(), e);
        }
    }

    /**
     * What is wrong with a chat request body, by its place in the body; empty when it holds. A strict
     * {@code json_schema} response format is also held to OpenAI's strict-mode rules ({@link #strictErrors}).
     */
    static List<String> errors(String body) {
        List<String> errors = new java.util.ArrayList<>(CHAT_REQUEST.validate(body, InputFormat.JSON).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList());
        try {
            JsonNode format = JSON.readTree(body).path("response_format").path("json_schema");
            if (format.path("strict").asBoolean(false)) {
                errors.addAll(strictErrors(format.path("schema")));
            }
        } catch (IOException e) {
            errors.add("$: not JSON");
        }
        return errors;
    }

    /**
     * OpenAI's rules for a schema under {@code strict: true} (its Structured Outputs guide, "Supported schemas"): the
     * root is an object; every object sets {@code additionalProperties: false} and lists every property as required;
     * at most 10 levels of nesting and 5,000 properties; at most 1,000 enum values in all; an enum of more than 250
     * string values at most 15,000 characters long.
     */
    static List<String> strictErrors(JsonNode schema) {
        List<String> errors = new java.util.ArrayList<>();
        if (!"object".equals(schema.path("type").asText())) {
            errors.add("$.response_format.json_schema.schema: the root of a strict schema must be an object");
        }
        int[] counts = new int[2]; // properties, enum values
        walk(schema, "$.response_format.json_schema.schema", 1, counts, errors);
        if (counts[0] > 5000) {
            errors.add("$.response_format.json_schema.schema: more than 5,000 properties");
        }
        if (counts[1] > 1000) {
            errors.add("$.response_format.json_schema.schema: " + counts[1] + " enum values, more than 1,000");
        }
        return errors;
    }

    private static void walk(JsonNode node, String at, int depth, int[] counts, List<String> errors) {
        if (depth > 10) {
            errors.add(at + ": nested more than 10 levels");
            return;
        }
        JsonNode values = node.path("enum");
        if (values.isArray()) {
            counts[1] += values.size();
            int length = 0;
            for (JsonNode v : values) {
                length += v.asText().length();
            }
            if (values.size() > 250 && length > 15_000) {
                errors.add(at + ": an enum of " + values.size() + " values is " + length + " characters, more than 15,000");
            }
        }
        if ("object".equals(node.path("type").asText())) {
            JsonNode properties = node.path("properties");
            if (!node.path("additionalProperties").isBoolean() || node.path("additionalProperties").asBoolean()) {
                errors.add(at + ": a strict schema's object must set additionalProperties to false");
            }
            java.util.Set<String> required = new java.util.HashSet<>();
            node.path("required").forEach(r -> required.add(r.asText()));
            properties.fieldNames().forEachRemaining(name -> {
                counts[0]++;
                if (!required.contains(name)) {
                    errors.add(at + ": property " + name + " is not required; strict mode requires every property");
                }
                walk(properties.path(name), at + ".properties." + name, depth + 1, counts, errors);
            });
        }
        if (node.path("items").isObject()) {
            walk(node.path("items"), at + ".items", depth + 1, counts, errors);
        }
    }
}
