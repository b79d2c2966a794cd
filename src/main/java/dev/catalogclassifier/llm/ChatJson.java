package dev.catalogclassifier.llm;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import dev.catalogclassifier.json.JsonBuffers;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.openai.internal.OpenAiUtils;

/**
 * OpenAI's {@code /chat/completions} JSON for LangChain4j's {@link ChatRequest} and {@link ChatResponse}, written and
 * read with Jackson's streaming API. It replaces LangChain4j's OpenAI request and response classes, which Jackson
 * wrote and read by reflection, and its converters between them and the chat types: together a tenth of the
 * service's CPU per item (docs/benchmarks.md, "sixth pass"). The answer's schema is copied in as the text it was
 * written to once ({@link PreparedSchema}), not written again per call.
 * <p>
 * Only what the service sends is written: the model, system and user messages (text, and photos as
 * {@code image_url} parts) and a strict {@code response_format}. Only what it uses is read: the first choice's
 * text and finish reason, the token usage, and the answer's id, model and creation time; the rest is skipped.
 */
final class ChatJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().recyclerPool(JsonBuffers.POOL).build();

    private ChatJson() {
    }

    /**
     * The request, for {@code model} unless the request names one; {@code strict} says whether a schema in its
     * {@code response_format} is to be decoded strictly.
     */
    static byte[] request(ChatRequest request, String model, PreparedSchema schema, boolean strict) {
        // the output's buffers come from the shared pool and go back to it: ByteArrayBuilder.close() returns nothing,
        // and a recycler not given back leaves the pool to make new ones, each call allocating its buffers afresh
        BufferRecycler recycler = FACTORY._getBufferRecycler();
        ByteArrayBuilder out = new ByteArrayBuilder(recycler, 2048);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            String named = request.parameters().modelName();
            json.writeStringField("model", named != null ? named : model);
            json.writeArrayFieldStart("messages");
            for (ChatMessage message : request.messages()) {
                message(json, message);
            }
            json.writeEndArray();
            if (request.parameters().responseFormat() != null
                    && request.parameters().responseFormat().type() == ResponseFormatType.JSON) {
                json.writeObjectFieldStart("response_format");
                json.writeStringField("type", "json_schema");
                json.writeObjectFieldStart("json_schema");
                json.writeStringField("name", schema.schema().name());
                json.writeBooleanField("strict", strict);
                json.writeFieldName("schema");
                json.writeRawValue(schema.json());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndObject();
            json.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("a chat request could not be written as JSON", e);
        } finally {
            out.release();
            recycler.releaseToPool();
        }
    }

    private static void message(JsonGenerator json, ChatMessage message) throws IOException {
        json.writeStartObject();
        switch (message) {
            case SystemMessage system -> {
                json.writeStringField("role", "system");
                json.writeStringField("content", system.text());
            }
            case UserMessage user -> {
                json.writeStringField("role", "user");
                if (user.hasSingleText()) {
                    json.writeStringField("content", user.singleText());
                } else {
                    json.writeArrayFieldStart("content");
                    for (Content content : user.contents()) {
                        part(json, content);
                    }
                    json.writeEndArray();
                }
            }
            default -> throw new IllegalArgumentException("the service sends no " + message.type() + " messages");
        }
        json.writeEndObject();
    }

    private static void part(JsonGenerator json, Content content) throws IOException {
        json.writeStartObject();
        switch (content) {
            case TextContent text -> {
                json.writeStringField("type", "text");
                json.writeStringField("text", text.text());
            }
            case ImageContent image -> {
                json.writeStringField("type", "image_url");
                json.writeObjectFieldStart("image_url");
                json.writeStringField("url", image.image().url() != null ? image.image().url().toString()
                        : "data:" + image.image().mimeType() + ";base64," + image.image().base64Data());
                json.writeStringField("detail", image.detailLevel().name().toLowerCase(java.util.Locale.ROOT));
                json.writeEndObject();
            }
            default -> throw new IllegalArgumentException("the service sends no " + content.type() + " content");
        }
        json.writeEndObject();
    }

    /**
     * The answer as LangChain4j's {@link ChatResponse}. A body that is not JSON, or not a chat completion with a
     * choice, throws a {@link com.fasterxml.jackson.core.JsonProcessingException} (inside an
     * {@link UncheckedIOException}): a bad answer, not an outage ({@link RoutingChatModel#outage}).
     */
    static ChatResponse response(byte[] body) {
        try (JsonParser json = FACTORY.createParser(body)) {
            Completion completion = new Completion();
            expect(json, json.nextToken(), JsonToken.START_OBJECT);
            fields(json, field -> {
                switch (field) {
                    case "id" -> completion.id = text(json);
                    case "model" -> completion.model = text(json);
                    case "created" -> completion.created = json.currentToken() == JsonToken.VALUE_NUMBER_INT
                            ? Long.valueOf(json.getLongValue()) : ChatJson.<Long>skip(json);
                    case "choices" -> completion.choices(json);
                    case "usage" -> completion.usage(json);
                    default -> json.skipChildren();
                }
            });
            if (!completion.answered) {
                throw new JsonParseException(json, "the provider's answer has no choices");
            }
            return completion.toResponse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the value of one field, the parser on its first token; it must read or skip the whole value. */
    @FunctionalInterface
    private interface Field {
        void read(String name) throws IOException;
    }

    /** Each field of the object the parser is on, to {@code field}; a value that is not an object is skipped. */
    private static void fields(JsonParser json, Field field) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            json.skipChildren();
            return;
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            field.read(name);
        }
    }

    /** The current value as text when it is a scalar (a string, a number); null, and skipped, when it is not. */
    private static String text(JsonParser json) throws IOException {
        return json.currentToken().isScalarValue() ? json.getValueAsString() : skip(json);
    }

    /** The current value when it is a whole number; null, and skipped, when it is not. */
    private static Integer count(JsonParser json) throws IOException {
        return json.currentToken() == JsonToken.VALUE_NUMBER_INT ? Integer.valueOf(json.getIntValue())
                : ChatJson.<Integer>skip(json);
    }

    private static <T> T skip(JsonParser json) throws IOException {
        json.skipChildren();
        return null;
    }

    private static void expect(JsonParser json, JsonToken seen, JsonToken wanted) throws JsonParseException {
        if (seen != wanted) {
            throw new JsonParseException(json, "expected " + wanted + " in the provider's answer, found " + seen);
        }
    }

    /** What is read of a chat completion, as its fields go by. */
    private static final class Completion {
        private String id;
        private String model;
        private Long created;
        private boolean answered;
        private String text;
        private String finishReason;
        private Integer promptTokens;
        private Integer completionTokens;
        private Integer totalTokens;
        private Integer cachedTokens;

        /** The first choice's message text and finish reason; later choices are skipped. */
        void choices(JsonParser json) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            expect(json, json.currentToken(), JsonToken.START_ARRAY);
            while (json.nextToken() != JsonToken.END_ARRAY) {
                if (answered) {
                    json.skipChildren();
                    continue;
                }
                expect(json, json.currentToken(), JsonToken.START_OBJECT);
                answered = true;
                fields(json, field -> {
                    switch (field) {
                        case "message" -> fields(json, inner -> {
                            if (inner.equals("content")) {
                                text = text(json);
                            } else {
                                json.skipChildren();
                            }
                        });
                        case "finish_reason" -> finishReason = text(json);
                        default -> json.skipChildren();
                    }
                });
            }
        }

        void usage(JsonParser json) throws IOException {
            fields(json, field -> {
                switch (field) {
                    case "prompt_tokens" -> promptTokens = count(json);
                    case "completion_tokens" -> completionTokens = count(json);
                    case "total_tokens" -> totalTokens = count(json);
                    case "prompt_tokens_details" -> fields(json, inner -> {
                        if (inner.equals("cached_tokens")) {
                            cachedTokens = count(json);
                        } else {
                            json.skipChildren();
                        }
                    });
                    default -> json.skipChildren();
                }
            });
        }

        ChatResponse toResponse() {
            OpenAiTokenUsage.Builder tokens = OpenAiTokenUsage.builder().inputTokenCount(promptTokens)
                    .outputTokenCount(completionTokens).totalTokenCount(totalTokens);
            if (cachedTokens != null) {
                tokens.inputTokensDetails(OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(cachedTokens).build());
            }
            return ChatResponse.builder().aiMessage(text == null ? AiMessage.builder().build() : AiMessage.from(text))
                    .metadata(OpenAiChatResponseMetadata.builder().id(id).modelName(model).created(created)
                            .tokenUsage(usageOrNull(tokens)).finishReason(OpenAiUtils.finishReasonFrom(finishReason)).build())
                    .build();
        }

        private OpenAiTokenUsage usageOrNull(OpenAiTokenUsage.Builder tokens) {
            return promptTokens == null && completionTokens == null && totalTokens == null ? null : tokens.build();
        }
    }
}
