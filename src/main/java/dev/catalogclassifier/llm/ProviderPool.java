package dev.catalogclassifier.llm;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.catalogclassifier.problem.ServiceUnavailableException;

/**
 * The configured API keys, each with its own client, handed out round-robin. Keys are known to the rest of
 * the service only by alias ({@code key-1}, {@code key-2} …), which is what metrics and logs show.
 */
@ApplicationScoped
public class ProviderPool {

    private final List<ProviderKey> keys;
    private final AtomicLong next = new AtomicLong();

    public ProviderPool(LlmConfig config) {
        List<String> secrets = config.apiKeys().orElse(List.of()).stream()
                .map(String::strip).filter(k -> !k.isEmpty()).toList();
        this.keys = IntStream.range(0, secrets.size())
                .mapToObj(i -> new ProviderKey("key-" + (i + 1), client(config, secrets.get(i))))
                .toList();
    }

    public boolean configured() {
        return !keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    ProviderKey next() {
        if (keys.isEmpty()) {
            throw noKey();
        }
        return keys.get((int) (next.getAndIncrement() % keys.size()));
    }

    public static ServiceUnavailableException noKey() {
        return new ServiceUnavailableException("provider-not-configured",
                "No model provider is configured. Set OPENAI_API_KEY (and OPENAI_BASE_URL for an endpoint other "
                        + "than api.openai.com) and restart the service.");
    }

    /**
     * LangChain4j's own retries stay off ({@code maxRetries(0)}: the builder counts retries, not attempts), so
     * {@link ModelClient} is the one retry layer.
     */
    private static ChatModel client(LlmConfig config, String secret) {
        return OpenAiChatModel.builder()
                .baseUrl(config.baseUrl())
                .apiKey(secret)
                .modelName(config.defaultModel())
                .timeout(config.connectionTimeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    record ProviderKey(String alias, ChatModel client) {
    }
}
