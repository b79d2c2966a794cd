package dev.catalogclassifier.llm;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.langchain4j.data.message.ImageContent;
import io.smallrye.faulttolerance.api.CustomBackoff;

/**
 * The one retry layer for model calls. 5xx, broken connections and timeouts (each exchange is bounded by
 * {@link ProviderCall}'s timeout) are retried with {@link RetryAfterBackoff}, at once when another key can take
 * the call. A 429 never reaches here: it is a wait, which {@link RoutingChatModel} and the scheduler take care of; 4xx answers are not (the same request would fail again), except a refused key's when another key
 * remains. Bad answers are not retried here either: that is a different question ({@link Question#again}),
 * asked by the caller. Limits are tuned in configuration under
 * {@code quarkus.fault-tolerance."dev.catalogclassifier.llm.ModelClient/ask"}.
 * <p>
 * The {@link ModelCall} is bound here, per attempt, rather than by the caller, so that whatever thread runs an
 * attempt sees it; so is the answer's schema ({@link AnswerSchemas}), built for this call's categories.
 */
@ApplicationScoped
public class ModelClient {

    private final CategoryAssistant assistant;
    private final PhotoBatchAssistant batches;

    public ModelClient(CategoryAssistant assistant, PhotoBatchAssistant batches) {
        this.assistant = assistant;
        this.batches = batches;
    }

    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 180_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public CategoryAnswer ask(Question question, ModelCall call) {
        return call.run(AnswerSchemas.single(question.choices()), () -> question.problem() == null
                ? assistant.classify(question.categories(), question.item())
                : assistant.classifyAgain(question.categories(), question.item(), question.problem()));
    }

    /** Several text items in one call ({@code "pack": k}); the caller maps the entries back by id. */
    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 180_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public PackAnswer askPack(String categories, List<String> choices, String items, ModelCall call) {
        return call.run(AnswerSchemas.pack(choices), () -> assistant.classifyPack(categories, items));
    }

    /** Features and a summary of up to 10 photos of one category (the folder command). */
    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 600_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public PhotoBatchAnswer describePhotos(String category, List<ImageContent> photos, ModelCall call) {
        return call.run(AnswerSchemas.photoBatch(), () -> batches.describe(category, photos.size(), photos));
    }

    /** The same for a photo; under the same timeout and the same single retry layer. */
    @Retry(maxRetries = 3, delay = 500, jitter = 0, maxDuration = 180_000,
            retryOn = { ProviderException.Retryable.class, TimeoutException.class })
    @CustomBackoff(RetryAfterBackoff.class)
    public PhotoAnswer askAboutPhoto(Question question, ModelCall call) {
        return call.run(AnswerSchemas.photo(question.choices()), () -> question.problem() == null
                ? assistant.classifyPhoto(question.categories(), question.item(), question.photo())
                : assistant.classifyPhotoAgain(question.categories(), question.item(), question.photo(), question.problem()));
    }
}
