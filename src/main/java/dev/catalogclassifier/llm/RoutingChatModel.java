package dev.catalogclassifier.llm;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.metrics.ClassifierMetrics;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkus.arc.Arc;
import io.quarkus.arc.Unremovable;

/**
 * The chat model behind {@link CategoryAssistant}. Per call it picks a key from the {@link ProviderPool},
 * sets the model the request asked for, and records what happened: attempts, tokens and cost on the item's
 * {@link ModelCall}, and one {@code classifier_llm_calls_total} count by key alias and outcome.
 * Provider failures leave here as {@link ProviderException}, so callers can tell them from bad answers.
 */
@ApplicationScoped
@Unremovable // looked up only by Supplier, which Arc cannot see
public class RoutingChatModel implements ChatModel {

    private final ProviderPool pool;
    private final PriceTable prices;
    private final ClassifierMetrics metrics;
    private final String providerName;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    public RoutingChatModel(ProviderPool pool, PriceTable prices, ClassifierMetrics metrics, LlmConfig config) {
        this.pool = pool;
        this.prices = prices;
        this.metrics = metrics;
        this.providerName = config.providerName();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        ModelCall call = ModelCall.current();
        call.checkNotCancelled();
        ProviderPool.ProviderKey key = pool.next();
        call.attempted();
        ChatRequest routed = ChatRequest.builder()
                .messages(request.messages())
                .parameters(DefaultChatRequestParameters.builder()
                        .overrideWith(request.parameters())
                        .modelName(call.model())
                        .build())
                .build();
        try {
            ChatResponse response = interruptibly(key.client(), routed);
            metrics.llmCall(providerName, key.alias(), "ok");
            record(call, response.tokenUsage());
            return response;
        } catch (RuntimeException e) {
            ProviderException failure = translate(e);
            metrics.llmCall(providerName, key.alias(), outcome(failure));
            throw failure;
        }
    }

    /**
     * The REST client's blocking call does not answer to interrupts, so a {@code @Timeout} could not cut a hung
     * call short. The call runs on a virtual thread of its own and this thread waits on it, which an interrupt
     * does end; the abandoned call is closed by the client's connection timeout.
     */
    private ChatResponse interruptibly(ChatModel client, ChatRequest request) {
        Future<ChatResponse> call = calls.submit(() -> client.chat(request));
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException.Retryable(0, null, "the call was interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    @PreDestroy
    void close() {
        calls.shutdownNow();
    }

    private void record(ModelCall call, TokenUsage tokens) {
        if (tokens == null) {
            call.answered(Usage.NONE);
            return;
        }
        long prompt = zeroIfNull(tokens.inputTokenCount());
        long completion = zeroIfNull(tokens.outputTokenCount());
        long cached = 0;
        if (tokens instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null) {
            cached = zeroIfNull(openAi.inputTokensDetails().cachedTokens());
        }
        Usage usage = prices.price(call.model(), prompt, cached, completion);
        call.answered(usage);
        metrics.modelUsage(call.model(), prompt, completion, usage.costUsd());
    }

    static ProviderException translate(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProviderHttpException http) {
                return byStatus(http.status(), http, http.retryAfter());
            }
            if (t instanceof HttpException http) {
                return byStatus(http.statusCode(), http, null);
            }
            if (t instanceof InterruptedException) {
                return new ProviderException.Retryable(0, null, "the call was interrupted", e);
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            return new ProviderException.Retryable(0, null, "the call was interrupted", e);
        }
        boolean network = hasCause(e, IOException.class) || hasCause(e, TimeoutException.class);
        return new ProviderException.Retryable(0, null, network ? "the provider could not be reached"
                : "the provider's answer could not be read", e);
    }

    private static ProviderException byStatus(int status, Throwable cause, Duration retryAfter) {
        if (status == 429 || status == 408 || status >= 500) {
            return new ProviderException.Retryable(status, retryAfter, "the provider answered HTTP " + status, cause);
        }
        return new ProviderException.Rejected(status, "the provider refused the call (HTTP " + status + ")");
    }

    private static String outcome(ProviderException e) {
        int s = e.status();
        if (s == 429) {
            return "rate_limited";
        }
        if (s >= 500) {
            return "server_error";
        }
        if (s >= 400) {
            return "client_error";
        }
        return Thread.currentThread().isInterrupted() ? "timeout" : "error";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static long zeroIfNull(Integer n) {
        return n == null ? 0 : n;
    }

    /** Hands this bean to {@code @RegisterAiService}, which instantiates suppliers reflectively. */
    public static class Supplier implements java.util.function.Supplier<ChatModel> {
        @Override
        public ChatModel get() {
            return Arc.container().instance(RoutingChatModel.class).get();
        }
    }
}
