package dev.catalogclassifier.llm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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
 * <p>
 * A schema is built and written once for each kind of answer and list of categories, and kept: every item of a
 * request asks with the same list, and writing its schema per call was a fifth of the cost of a request's JSON.
 * Shortlists make a list per item, so what is kept is bounded by its text ({@link #KEPT_CHARS}), and dropped
 * whole when full: rebuilding one costs what building it did before it was kept.
 */
public final class AnswerSchemas {

    /** What a photo shows of an item's condition: a closed set, so the schema lists it too. */
    public static final List<String> CONDITIONS = List.of("new", "like new", "good", "fair", "poor");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most schema text kept, 4–8 MB of heap: thousands of shortlists, or a few of the largest taxonomies. */
    static final long KEPT_CHARS = 4_000_000;

    private static final Map<Kept, PreparedSchema> KEPT = new ConcurrentHashMap<>();
    private static final AtomicLong KEPT_SIZE = new AtomicLong();

    /** Which answer a kept schema is for, and the categories its {@code enum} holds. */
    private record Kept(String answer, List<String> categories) {
    }

    private AnswerSchemas() {
    }

    /** One text item's answer ({@link CategoryAnswer}). */
    public static PreparedSchema single(List<String> categories) {
        return kept("CategoryAnswer", categories, c -> schema("CategoryAnswer", answer(c).build()));
    }

    /** Several items' answers, one per id ({@link PackAnswer}). */
    public static PreparedSchema pack(List<String> categories) {
        return kept("PackAnswer", categories, AnswerSchemas::packSchema);
    }

    private static JsonSchema packSchema(List<String> categories) {
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
    public static PreparedSchema photo(List<String> categories) {
        return kept("PhotoAnswer", categories, c -> schema("PhotoAnswer", answer(c)
                .addProperty("features", features("what the photo shows of the item: its notable features"))
                .addStringProperty("summary", "one line on what the photo shows")
                .required("category", "confidence", "features", "summary").build()));
    }

    /** The folder command's answer about up to ten photos of one category ({@link PhotoBatchAnswer}). */
    public static PreparedSchema photoBatch() {
        return kept("PhotoBatchAnswer", List.of(), c -> schema("PhotoBatchAnswer", JsonObjectSchema.builder()
                .addProperty("features", features("the notable features the photos show, one entry per feature"))
                .addStringProperty("summary", "a short summary of the batch: condition and quality overall")
                .required("features", "summary").additionalProperties(false).build()));
    }

    /**
     * The schema as OpenAI's {@code response_format} object ({@code {"type": "json_schema", "json_schema": …}}),
     * converted with the LangChain4j function its OpenAI client uses, for requests we write ourselves.
     */
    public static Map<String, Object> responseFormat(JsonSchema schema) {
        return Map.of("type", "json_schema", "json_schema", Map.of("name", schema.name(), "strict", true,
                "schema", JsonSchemaElementUtils.toMap(schema.rootElement(), true)));
    }

    /** The schema of {@code answer} for {@code categories}, kept from an earlier call or built and written now. */
    private static PreparedSchema kept(String answer, List<String> categories, Function<List<String>, JsonSchema> build) {
        Kept key = new Kept(answer, categories);
        PreparedSchema found = KEPT.get(key);
        if (found != null) {
            return found;
        }
        JsonSchema schema = build.apply(categories);
        PreparedSchema made = new PreparedSchema(schema, asText(schema));
        if (KEPT_SIZE.addAndGet(made.json().length()) > KEPT_CHARS) {
            KEPT.clear(); // a race here only drops or keeps a little more: what is kept is always a right answer
            KEPT_SIZE.set(made.json().length());
        }
        KEPT.put(new Kept(answer, List.copyOf(categories)), made);
        return made;
    }

    /** The schema as JSON text, as a strict provider decodes against it. */
    static String asText(JsonSchema schema) {
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
