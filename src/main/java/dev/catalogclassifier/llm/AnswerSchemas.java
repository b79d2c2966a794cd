package dev.catalogclassifier.llm;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;

/**
 * The JSON schema of every kind of answer, built for each call with LangChain4j's schema types: {@code category} is
 * an {@code enum} of exactly the categories that call may choose from (the taxonomy, or an item's shortlist), so a
 * provider that decodes against the schema cannot answer off the list. The realtime path sends it as the call's
 * {@code response_format} ({@link RoutingChatModel}); the Batch API writes the same schema into its JSONL lines
 * ({@link #responseFormat}). Property names are the snake_case names the answers are read back with.
 */
public final class AnswerSchemas {

    /** What a photo shows of an item's condition: a closed set, so the schema lists it too. */
    public static final List<String> CONDITIONS = List.of("new", "like new", "good", "fair", "poor");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnswerSchemas() {
    }

    /** One text item's answer ({@link CategoryAnswer}). */
    public static JsonSchema single(List<String> categories) {
        return schema("CategoryAnswer", answer(categories).build());
    }

    /** Several items' answers, one per id ({@link PackAnswer}). */
    public static JsonSchema pack(List<String> categories) {
        JsonObjectSchema entry = JsonObjectSchema.builder()
                .addStringProperty("id", "the item's id, exactly as given")
                .addProperty("category", category(categories))
                .addNumberProperty("confidence", "how sure you are, from 0 (guess) to 1 (certain)")
                .required("id", "category", "confidence").additionalProperties(false).build();
        return schema("PackAnswer", JsonObjectSchema.builder()
                .addProperty("answers", JsonArraySchema.builder().description("one answer for each item, with the item's id")
                        .items(entry).build())
                .required("answers").additionalProperties(false).build());
    }

    /** A photographed item's answer: its category and what the photo shows ({@link PhotoAnswer}). */
    public static JsonSchema photo(List<String> categories) {
        return schema("PhotoAnswer", answer(categories)
                .addProperty("features", features("what the photo shows of the item: its notable features"))
                .addStringProperty("summary", "one line on what the photo shows")
                .required("category", "confidence", "features", "summary").build());
    }

    /** The folder command's answer about up to ten photos of one category ({@link PhotoBatchAnswer}). */
    public static JsonSchema photoBatch() {
        return schema("PhotoBatchAnswer", JsonObjectSchema.builder()
                .addProperty("features", features("the notable features the photos show, one entry per feature"))
                .addStringProperty("summary", "a short summary of the batch: condition and quality overall")
                .required("features", "summary").additionalProperties(false).build());
    }

    /**
     * The schema as OpenAI's {@code response_format} object ({@code {"type": "json_schema", "json_schema": …}}),
     * converted with the LangChain4j function its OpenAI client uses, for requests we write ourselves.
     */
    public static Map<String, Object> responseFormat(JsonSchema schema) {
        return Map.of("type", "json_schema", "json_schema", Map.of("name", schema.name(), "strict", true,
                "schema", JsonSchemaElementUtils.toMap(schema.rootElement(), true)));
    }

    /** The schema as JSON text, for a provider that is told it in the prompt. */
    public static String asText(JsonSchema schema) {
        try {
            return JSON.writeValueAsString(JsonSchemaElementUtils.toMap(schema.rootElement(), true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObjectSchema.Builder answer(List<String> categories) {
        return JsonObjectSchema.builder()
                .addProperty("category", category(categories))
                .addNumberProperty("confidence", "how sure you are, from 0 (guess) to 1 (certain)")
                .required("category", "confidence").additionalProperties(false);
    }

    private static JsonEnumSchema category(List<String> categories) {
        return JsonEnumSchema.builder().description("one category from the list, spelled exactly as listed")
                .enumValues(categories).build();
    }

    private static JsonArraySchema features(String description) {
        JsonObjectSchema feature = JsonObjectSchema.builder()
                .addStringProperty("feature_name", "short name of the feature, e.g. 'armrests'")
                .addStringProperty("description", "what it looks like")
                .addEnumProperty("condition", CONDITIONS, "the feature's condition")
                .addIntegerProperty("quality_rating", "quality from 1 (poor) to 10 (excellent)")
                .required("feature_name", "description", "condition", "quality_rating").additionalProperties(false).build();
        return JsonArraySchema.builder().description(description).items(feature).build();
    }

    private static JsonSchema schema(String name, JsonObjectSchema root) {
        return JsonSchema.builder().name(name).rootElement(root).build();
    }
}
