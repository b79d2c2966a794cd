package dev.catalogclassifier.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.FinishReason;

/**
 * The chat completion JSON as written and read without LangChain4j's OpenAI classes: what a provider is sent
 * (every request the fake receives is also checked against OpenAI's published schema, in every test that calls it),
 * and what is read of the answers providers send, including the ones a careless parser would trip over.
 */
class ChatJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHOICES = List.of("Chairs", "Tables");

    @Test
    void aStrictRequestCarriesTheModelTheMessagesAndTheSchemaWrittenOnce() throws Exception {
        PreparedSchema schema = AnswerSchemas.single(CHOICES);
        Question question = new Question("- Chairs\n- Tables", CHOICES, "name: \"ÖRFJÄLL\" \u0001 chair", null, null);
        ChatRequest routed = RoutingChatModel.forProvider(ChatRequest.builder().messages(Prompts.of(question)).build(),
                "gpt-4.1-mini", schema, StructuredOutput.STRICT_SCHEMA);

        JsonNode sent = JSON.readTree(ChatJson.request(routed, "default-model", schema, true));

        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(1).path("content").asText()).contains("name: \"ÖRFJÄLL\" \u0001 chair");
        JsonNode format = sent.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("CategoryAnswer");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(format.path("json_schema").path("schema")).isEqualTo(JSON.readTree(schema.json()));
        assertThat(format.path("json_schema").path("schema").path("properties").path("category").path("enum"))
                .extracting(JsonNode::asText).containsExactly("Chairs", "Tables");
    }

    /**
     * Jackson's working buffers go back to the shared pool after each request, so a request allocates about its own
     * bytes: when they did not, each call allocated some 18 KB of fresh buffers (a quarter of a job's allocation).
     */
    @Test
    void writingARequestReusesJacksonsBuffers() {
        PreparedSchema schema = AnswerSchemas.single(CHOICES);
        Question question = new Question("- Chairs\n- Tables", CHOICES, "name: \"ÖRFJÄLL\" chair", null, null);
        ChatRequest routed = RoutingChatModel.forProvider(ChatRequest.builder().messages(Prompts.of(question)).build(),
                "gpt-4.1-mini", schema, StructuredOutput.STRICT_SCHEMA);
        int size = ChatJson.request(routed, "default-model", schema, true).length;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int calls = 200;
        for (int i = 0; i < calls; i++) { // the code compiled, and the pool filled, before counting
            ChatJson.request(routed, "default-model", schema, true);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            ChatJson.request(routed, "default-model", schema, true);
        }
        long perCall = (threads.getCurrentThreadAllocatedBytes() - before) / calls;

        assertThat(perCall).as("bytes allocated per request of %d bytes", size).isLessThan(2L * size + 4_096);
    }

    @Test
    void aPromptProviderGetsNoResponseFormatAndPhotosGoAsImageParts() throws Exception {
        PreparedSchema schema = AnswerSchemas.photo(CHOICES);
        ImageContent photo = ImageContent.from(Image.builder().base64Data("QUJD").mimeType("image/jpeg").build(),
                ImageContent.DetailLevel.LOW);
        Question question = new Question("- Chairs\n- Tables", CHOICES, "name: chair", photo, null);
        ChatRequest routed = RoutingChatModel.forProvider(ChatRequest.builder().messages(Prompts.of(question)).build(),
                null, schema, StructuredOutput.PROMPT);

        JsonNode sent = JSON.readTree(ChatJson.request(routed, "default-model", schema, false));

        assertThat(sent.path("model").asText()).isEqualTo("default-model");
        assertThat(sent.has("response_format")).isFalse();
        assertThat(sent.path("messages").get(0).path("content").asText()).endsWith(schema.json());
        JsonNode parts = sent.path("messages").get(1).path("content");
        assertThat(parts.get(0).path("type").asText()).isEqualTo("text");
        assertThat(parts.get(1).path("image_url").path("url").asText()).isEqualTo("data:image/jpeg;base64,QUJD");
        assertThat(parts.get(1).path("image_url").path("detail").asText()).isEqualTo("low");
    }

    @Test
    void openAisWholeAnswerGivesTextFinishReasonAndTokensWithTheCachedOnes() {
        ChatResponse response = read("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4.1-mini-2025-04-14",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"category\\":\\"Chairs\\",\\"confidence\\":0.9}",
                   "refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":12,"total_tokens":132,
                   "prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},
                   "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},
                 "service_tier":"default","system_fingerprint":"fp_1"}""");

        assertThat(response.aiMessage().text()).isEqualTo("{\"category\":\"Chairs\",\"confidence\":0.9}");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.id()).isEqualTo("chatcmpl-1");
        assertThat(response.modelName()).isEqualTo("gpt-4.1-mini-2025-04-14");
        OpenAiTokenUsage usage = (OpenAiTokenUsage) response.tokenUsage();
        assertThat(usage.inputTokenCount()).isEqualTo(120);
        assertThat(usage.outputTokenCount()).isEqualTo(12);
        assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(64);
    }

    @Test
    void anAnswerWithoutUsageOrTextIsReadAsSuch() {
        ChatResponse response = read("""
                {"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"length"}]}""");

        assertThat(response.aiMessage().text()).isNull();
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage()).isNull();

        ChatResponse parts = read("""
                {"choices":[{"message":{"content":[{"type":"text","text":"{}"}],"role":"assistant"},"finish_reason":"stop"}]}""");
        assertThat(parts.aiMessage().text()).isNull(); // content parts are not an answer the service can read
        assertThat(parts.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void shapesWeDoNotUseAreSkippedWholeAndOnlyTheFirstChoiceCounts() {
        ChatResponse response = read("""
                {"id":{"odd":["x"]},"created":"yesterday",
                 "choices":[{"message":{"tool_calls":[{"id":"t","function":{"name":"f","arguments":"{}"}}],
                   "content":"first","extra":{"content":"not this"}},"finish_reason":{"type":"stop"}},
                  {"message":{"content":"second"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":"many","completion_tokens":3,"total_tokens":null}}""");

        assertThat(response.aiMessage().text()).isEqualTo("first");
        assertThat(response.id()).isNull();
        assertThat(response.finishReason()).isNull();
        assertThat(response.tokenUsage().inputTokenCount()).isNull();
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
    }

    @Test
    void aBodyThatIsNotAChatCompletionIsABadAnswerNotAnOutage() {
        for (String body : List.of("<html>upstream proxy error</html>", "{\"choices\":[]}", "{}", "[]",
                "{\"choices\":[{\"message\":{\"content\":\"cut", "{\"error\":{\"message\":\"overloaded\"}}")) {
            assertThatThrownBy(() -> read(body)).as(body).hasCauseInstanceOf(JsonProcessingException.class)
                    .satisfies(e -> assertThat(RoutingChatModel.outage(RoutingChatModel.translate((RuntimeException) e)))
                            .as(body).isFalse());
        }
    }

    @Test
    void theSameCategoriesShareOneWrittenSchemaAndOtherListsGetTheirOwn() {
        PreparedSchema first = AnswerSchemas.single(List.of("Beds", "Sofas"));

        assertThat(AnswerSchemas.single(new java.util.ArrayList<>(List.of("Beds", "Sofas")))).isSameAs(first);
        assertThat(AnswerSchemas.single(List.of("Beds", "Sofas", "Lamps")).json()).contains("Lamps");
        assertThat(AnswerSchemas.pack(List.of("Beds", "Sofas")).schema().name()).isEqualTo("PackAnswer");
        assertThat(AnswerSchemas.photo(List.of("Beds", "Sofas")).json()).contains("quality_rating");
    }

    private static ChatResponse read(String body) {
        return ChatJson.response(body.getBytes(StandardCharsets.UTF_8));
    }
}
