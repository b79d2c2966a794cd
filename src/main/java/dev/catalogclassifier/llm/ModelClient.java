package dev.catalogclassifier.llm;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.smallrye.faulttolerance.api.CustomBackoff;

/**
 * Asks the model, through LangChain4j's {@code ChatModel} ({@link RoutingChatModel}), and reads its answer; and the one
 * retry layer for model calls. 5xx, broken connections and timeouts (each exchange is bounded by
 * {@link ProviderCall}'s timeout) are retried with {@link RetryAfterBackoff}, at once when another key can take
 * the call. A 429 never reaches here: it is a wait, which {@link RoutingChatModel} and the scheduler take care of; 4xx
 * answers are not (the same request would fail again), except a refused key's when another key remains. Bad answers are
 * not retried here either: that is a different question ({@link Question#again}), asked by the caller. Limits are tuned
 * in configuration under {@code quarkus.fault-tolerance."dev.catalogclassifier.llm.ModelClient/ask"}.
 * <p>
 * Why not an AI service ({@code @RegisterAiService}): per call it rendered the prompt with Qute, fired seven CDI events
 * that nothing observes, and timed and traced itself, about a quarter of the service's CPU per item
 * (docs/benchmarks.md, "The hot path"). The prompt here is two messages filled in one pass ({@link Prompts}), and the
 * answer's schema goes with the call ({@link ModelCall}), built for its categories ({@link AnswerSchemas}).
 */
@ApplicationScoped
public class ModelClient {

    private final RoutingChatModel chat;
    private final AnswerReader answers;

    public ModelClient(RoutingChatModel chat, AnswerReader answers) {
        this.chat = chat;
        this.answers = answers;
    }

    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 180_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public CategoryAnswer ask(Question question, ModelCall call) {
        return send(call, AnswerSchemas.single(question.choices()), Prompts.of(question), CategoryAnswer.class);
    }

    /** Several text items in one call ({@code "pack": k}); the caller maps the entries back by id. */
    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 180_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public PackAnswer askPack(String categories, List<String> choices, String items, ModelCall call) {
        return send(call, AnswerSchemas.pack(choices), Prompts.pack(categories, items), PackAnswer.class);
    }

    /** Features and a summary of up to 10 photos of one category (the folder command). */
    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 600_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public PhotoBatchAnswer describePhotos(String category, List<ImageContent> photos, ModelCall call) {
        return send(call, AnswerSchemas.photoBatch(), Prompts.photoBatch(category, photos), PhotoBatchAnswer.class);
    }

    /** The same for a photo; under the same timeout and the same single retry layer. */
    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 180_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public PhotoAnswer askAboutPhoto(Question question, ModelCall call) {
        return send(call, AnswerSchemas.photo(question.choices()), Prompts.of(question), PhotoAnswer.class);
    }

    /**
     * One attempt, with the call and its answer's schema bound for {@link RoutingChatModel} on this thread: bound here,
     * per attempt, rather than by the caller, so that whatever thread runs an attempt sees them.
     */
    private <T> T send(ModelCall call, PreparedSchema schema, List<ChatMessage> messages, Class<T> answer) {
        ChatRequest request = ChatRequest.builder().messages(messages).build();
        return call.run(schema, () -> answers.read(chat.chat(request), answer));
    }
}
