package dev.catalogclassifier.llm;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import dev.catalogclassifier.metrics.ClassifierMetrics;
import dev.catalogclassifier.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;

/**
 * The chat model {@link ModelClient} asks. Per call it waits for its turn in the
 * {@link ModelCallScheduler}, which gives it a key of the {@link ProviderPool}, sets the model the request asked for, and records what happened: attempts, tokens and cost on the item's
 * {@link ModelCall}, and one {@code classifier_llm_calls_total} count by key alias and outcome.
 * Provider failures leave here as {@link ProviderException}, so callers can tell them from bad answers.
 */
@ApplicationScoped
public class RoutingChatModel implements ChatModel {

    private final ProviderPool pool;
    private final ModelCallScheduler scheduler;
    private final ProviderCall provider;
    private final PriceTable prices;
    private final ClassifierMetrics metrics;
    private final TenantShares shares;
    private final Traces traces;
    private final long patienceNanos;

    public RoutingChatModel(ProviderPool pool, ModelCallScheduler scheduler, ProviderCall provider, PriceTable prices,
            ClassifierMetrics metrics, LlmConfig config, Traces traces, TenantShares shares) {
        this.shares = shares;
        this.traces = traces;
        this.pool = pool;
        this.scheduler = scheduler;
        this.provider = provider;
        this.prices = prices;
        this.metrics = metrics;
        this.patienceNanos = config.scheduler().rateLimitPatience().toNanos();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    /**
     * Sends the call in its turn, as often as rate limits make it: a 429 rests the key (for the provider's
     * Retry-After) and puts the call back in its flow's queue, without using up the retries of
     * {@link ModelClient}, until {@code classifier.llm.scheduler.rate-limit-patience} has passed.
     */
    @Override
    public ChatResponse doChat(ChatRequest request) {
        ModelCall call = ModelCall.current();
        PreparedSchema schema = ModelCall.schema();
        int photos = photos(request);
        long estimate = estimateTokens(request, photos) + schema.json().length() / 4;
        while (true) {
            call.checkNotCancelled();
            ModelCallScheduler.Turn turn = scheduler.await(call, estimate);
            try {
                ProviderKey key = turn.lease().key();
                return send(call, turn.lease(), forProvider(request, call.model(), schema, key.structuredOutput()), schema, photos);
            } catch (RateLimited limited) {
                if (call.elapsedNanos() > patienceNanos) { // not retried: patience is the overall bound
                    throw new ProviderException.Rejected(429, "the provider kept answering HTTP 429 for "
                            + java.time.Duration.ofNanos(patienceNanos).toMinutes() + " min");
                }
            } catch (ProviderDown down) {
                // back to the queue: the scheduler holds it while the provider is down, within its item's patience
            } finally {
                scheduler.done(turn, true);
            }
        }
    }

    /**
     * The request as the key's provider takes it: the model the item asked for, and the call's own schema (whose
     * {@code enum} holds the call's categories), either as a strict {@code response_format} or, for a provider that
     * refuses those, written into the system message.
     */
    static ChatRequest forProvider(ChatRequest request, String model, PreparedSchema schema, StructuredOutput output) {
        DefaultChatRequestParameters.Builder<?> parameters = DefaultChatRequestParameters.builder()
                .overrideWith(request.parameters()).modelName(model);
        if (output == StructuredOutput.STRICT_SCHEMA) {
            return ChatRequest.builder().messages(request.messages()).parameters(parameters
                    .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema.schema()).build())
                    .build()).build();
        }
        List<ChatMessage> messages = request.messages().stream().map(m -> m instanceof SystemMessage system
                ? SystemMessage.from(system.text() + "\nAnswer with one JSON object and nothing else, following this JSON schema:\n"
                        + schema.json())
                : m).toList();
        return ChatRequest.builder().messages(messages).parameters(parameters.responseFormat(ResponseFormat.TEXT).build())
                .build();
    }

    /** One attempt on the key of its turn, in a span of its own under the item's. */
    private ChatResponse send(ModelCall call, ProviderPool.Lease lease, ChatRequest routed, PreparedSchema schema,
            int photos) {
        ProviderKey key = lease.key();
        Span span = traces.startProviderCall(key.provider(), key.alias(), call.model());
        span.setAttribute("classifier.queued_ms", call.queuedMillis());
        try (Scope scope = span.makeCurrent()) {
            ChatResponse response = attempt(call, lease, routed, schema, photos);
            var usage = response.tokenUsage();
            if (usage != null && usage.inputTokenCount() != null && usage.outputTokenCount() != null) {
                span.setAttribute("gen_ai.usage.input_tokens", usage.inputTokenCount());
                span.setAttribute("gen_ai.usage.output_tokens", usage.outputTokenCount());
            }
            return response;
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e instanceof RateLimited ? "rate limited" : e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    private ChatResponse attempt(ModelCall call, ProviderPool.Lease lease, ChatRequest routed, PreparedSchema schema,
            int photos) {
        ProviderKey key = lease.key();
        call.attempted();
        long start = System.nanoTime();
        try {
            byte[] body = key.client().body(routed, schema);
            ChatResponse response = key.client().read(switch (photos) {
                case 0 -> provider.text(key, body);
                case 1 -> provider.photo(key, body);
                default -> provider.photos(key, body);
            });
            metrics.llmCall(key.provider(), key.alias(), "ok");
            pool.succeeded(lease, record(call, response.tokenUsage()), System.nanoTime() - start);
            return response;
        } catch (TimeoutException e) {
            metrics.llmCall(key.provider(), key.alias(), "timeout");
            if (pool.failed(lease, call, true)) {
                throw new ProviderDown();
            }
            throw e;
        } catch (ModelCall.Cancelled e) {
            metrics.llmCall(key.provider(), key.alias(), "cancelled");
            pool.released(lease, true);
            throw e;
        } catch (RuntimeException e) {
            ProviderException failure = translate(e);
            if (failure.status() == 429) {
                metrics.llmCall(key.provider(), key.alias(), "rate_limited");
                pool.rateLimited(lease, failure instanceof ProviderException.Retryable r ? r.retryAfter().orElse(null) : null);
                throw new RateLimited(failure);
            }
            throw fail(lease, call, failure);
        }
    }

    /** A 429 on its way back to the scheduler's queue; never leaves this class unless patience ran out. */
    private static final class RateLimited extends RuntimeException {
        RateLimited(ProviderException failure) {
            super(failure.getMessage(), null, false, false);
        }
    }

    /**
     * A failure that found the provider down, on its way back to the scheduler's queue to wait for it; never leaves
     * this class (the scheduler fails the call once its item's patience is spent).
     */
    private static final class ProviderDown extends RuntimeException {
        ProviderDown() {
            super("the provider is down", null, false, false);
        }
    }

    /**
     * Credits the failure to the key. When the failure was the key's (5xx, a refused key, no connection) and
     * another key is ready, the retry goes there at once.
     */
    private ProviderException fail(ProviderPool.Lease lease, ModelCall call, ProviderException failure) {
        ProviderKey key = lease.key();
        int status = failure.status();
        metrics.llmCall(key.provider(), key.alias(), outcome(failure));
        if (status == 401 || status == 403) {
            pool.refused(lease, status);
        } else if (failure instanceof ProviderException.Retryable) {
            if (pool.failed(lease, call, outage(failure))) {
                throw new ProviderDown();
            }
        } else {
            pool.answeredBadly(lease);
            return failure; // 400, 404…: the request's fault, not the key's; another key would say the same
        }
        return pool.anotherUsable(key, call.model()) ? ProviderException.Retryable.failover(failure) : failure;
    }

    /**
     * Whether a retryable failure is the kind an outage gives (5xx, 408, no connection or no answer in time) rather
     * than one answer we could not read, which says the provider is there.
     */
    static boolean outage(ProviderException failure) {
        int status = failure.status();
        if (status != 0) {
            return status >= 500 || status == 408;
        }
        return !hasCause(failure, com.fasterxml.jackson.core.JsonProcessingException.class)
                && (hasCause(failure, IOException.class) || hasCause(failure, java.util.concurrent.TimeoutException.class));
    }

    private static int photos(ChatRequest request) {
        int n = 0;
        for (ChatMessage message : request.messages()) {
            if (message instanceof UserMessage user) {
                n += (int) user.contents().stream().filter(ImageContent.class::isInstance).count();
            }
        }
        return n;
    }

    /**
     * What the provider will count against the key's token limit: about four characters a token, OpenAI's image
     * tokens, and room for the answer.
     */
    static long estimateTokens(ChatRequest request, int photos) {
        long chars = 0;
        long images = 0;
        for (ChatMessage message : request.messages()) {
            if (message instanceof UserMessage user) {
                for (Content content : user.contents()) {
                    if (content instanceof TextContent text) {
                        chars += text.text().length();
                    } else if (content instanceof ImageContent image) {
                        images += image.image() != null && image.detailLevel() == ImageContent.DetailLevel.LOW ? 85 : 765;
                    }
                }
            } else if (message instanceof SystemMessage system) {
                chars += system.text().length();
            }
        }
        return chars / 4 + images + (photos > 0 ? 300 : 60);
    }

    /** Books the call's tokens and cost on the item and in metrics; returns the tokens the provider counted. */
    private long record(ModelCall call, TokenUsage tokens) {
        if (tokens == null) {
            call.answered(Usage.NONE);
            return 0;
        }
        long prompt = zeroIfNull(tokens.inputTokenCount());
        long completion = zeroIfNull(tokens.outputTokenCount());
        long cached = 0;
        if (tokens instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null) {
            cached = zeroIfNull(openAi.inputTokensDetails().cachedTokens());
        }
        Usage usage = prices.price(call.model(), prompt, cached, completion);
        call.answered(usage);
        metrics.modelUsage(call.model(), shares.tag(call.flow().tenant()), prompt, completion, usage.costUsd());
        return prompt + completion;
    }

    static ProviderException translate(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProviderHttpException http) {
                return byStatus(http.status(), http, http.retryAfter());
            }
            if (t instanceof InterruptedException) {
                return new ProviderException.Retryable(0, null, "the call was interrupted", e);
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            return new ProviderException.Retryable(0, null, "the call was interrupted", e);
        }
        boolean network = !hasCause(e, com.fasterxml.jackson.core.JsonProcessingException.class)
                && (hasCause(e, IOException.class) || hasCause(e, java.util.concurrent.TimeoutException.class));
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
        if (s == 401 || s == 403) {
            return "key_rejected";
        }
        if (s == 429) {
            return "rate_limited";
        }
        if (s >= 500) {
            return "server_error";
        }
        if (s >= 400) {
            return "client_error";
        }
        return "error";
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
}
