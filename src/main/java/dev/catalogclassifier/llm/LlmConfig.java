package dev.catalogclassifier.llm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How we reach the model provider and what its tokens cost.
 * The retry, timeout and concurrency limits of model calls live in the SmallRye Fault Tolerance settings
 * ({@code quarkus.fault-tolerance."…"}) so that there is exactly one place, and one layer, for them.
 */
@ConfigMapping(prefix = "classifier.llm")
public interface LlmConfig {

    /** Name of the provider in metrics and logs, e.g. {@code openai}, {@code azure}, {@code vllm}. */
    @WithDefault("openai")
    String providerName();

    /** Base URL of any OpenAI-compatible endpoint (set with {@code OPENAI_BASE_URL}). */
    @WithDefault("https://api.openai.com/v1")
    String baseUrl();

    /**
     * API keys (set with {@code OPENAI_API_KEY}, comma-separated for several). Calls go round-robin over them.
     * Without any key the service starts but answers classification calls with a 503 problem.
     */
    Optional<List<String>> apiKeys();

    /** Model used when a request names none. */
    @WithDefault("gpt-4o-mini")
    String defaultModel();

    /** Models a request may ask for. The default model is always allowed. */
    @WithDefault("gpt-4o-mini,gpt-4o,gpt-4.1-mini,gpt-4.1-nano")
    List<String> allowedModels();

    /**
     * Socket-level limit on one provider call. The per-attempt limit that callers see is the fault-tolerance
     * {@code @Timeout}, which must be shorter; this one only closes a connection abandoned after that.
     */
    @WithDefault("60s")
    Duration connectionTimeout();

    /**
     * Items talking to the provider at once ({@code CLASSIFIER_MAX_CONCURRENT_CALLS}). It sizes both the
     * bulkhead in front of the calls and each key's HTTP connection pool: the REST client's own pool holds 50
     * connections, and a smaller pool would quietly cap concurrency below the bulkhead.
     */
    @WithDefault("64")
    int maxConcurrentCalls();

    /** Prices per model, in US dollars per one million tokens. */
    Map<String, Price> prices();

    /** What one million tokens of a model cost. */
    interface Price {

        /** Prompt tokens not served from the provider's prompt cache. */
        double input();

        /** Prompt tokens served from the provider's prompt cache. */
        double cachedInput();

        /** Completion tokens. */
        double output();
    }
}
