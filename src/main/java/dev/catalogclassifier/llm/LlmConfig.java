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
     * API keys (set with {@code OPENAI_API_KEY}, comma-separated for several), known as {@code key-1},
     * {@code key-2} … Calls are spread over them by recent success and pacing (see {@code ProviderPool}).
     * Without any key, here or in {@link #providers()}, the service starts but LLM requests answer 503.
     */
    Optional<List<String>> apiKeys();

    /** The models the {@link #apiKeys()} provider serves; without the setting, every allowed model. */
    Optional<List<String>> models();

    /** This provider's share of calls against the named {@link #providers()}, when keys of both are ready. */
    @WithDefault("1")
    int weight();

    /**
     * How the {@link #apiKeys()} provider is told an answer's shape ({@code CLASSIFIER_STRUCTURED_OUTPUT}):
     * {@code strict-schema} (the default) sends a strict JSON schema whose {@code enum} holds the call's categories;
     * {@code prompt} is for providers that refuse strict schemas or enums, and writes the schema into the prompt.
     */
    @WithDefault("strict-schema")
    StructuredOutput structuredOutput();

    /**
     * Further OpenAI-compatible providers by name (e.g. {@code classifier.llm.providers.azure.base-url}). Their
     * keys are known as {@code <name>-key-1} … and take calls alongside those of {@link #apiKeys()}.
     */
    Map<String, NamedProvider> providers();

    /** One more provider: its endpoint, keys, the models it serves and its share of calls. */
    interface NamedProvider {

        /** Base URL of the OpenAI-compatible endpoint. */
        String baseUrl();

        /** Its API keys (set as a comma-separated list). */
        List<String> apiKeys();

        /** The models it serves; without the setting, every allowed model. */
        Optional<List<String>> models();

        /** Its share of calls when keys of several providers are ready at once. */
        @WithDefault("1")
        int weight();

        /** How it is told an answer's shape: {@code strict-schema} or {@code prompt} (see the main provider's). */
        @WithDefault("strict-schema")
        StructuredOutput structuredOutput();
    }

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
     * The most model calls in flight at once ({@code CLASSIFIER_MAX_CONCURRENT_CALLS}): the ceiling under which
     * the scheduler follows the keys' limits. It sizes the bulkhead on the provider exchange and each key's HTTP
     * connection pool: Vert.x's own default is 5 connections a host,
     * and a smaller pool would quietly cap concurrency below the bulkhead.
     */
    @WithDefault("64")
    int maxConcurrentCalls();

    /** How model calls take turns ({@code ModelCallScheduler}). */
    Scheduler scheduler();

    /** Fair share between flows, and how long rate limits may hold an item. */
    interface Scheduler {

        /**
         * A job's weight against a streaming request's 1: with 0.5, a request gets two turns for each of a job's,
         * so someone waiting on a stream is not held up by a job's backlog. Jobs share among themselves evenly.
         */
        @WithDefault("0.5")
        double jobWeight();

        /**
         * How long an item may wait through 429s before it fails with {@code rate_limited}. A 429 is a signal to
         * wait, not an error, and does not use up the retries that 5xx answers and timeouts get; this is the
         * overall bound, for a key whose quota is spent for the day.
         */
        @WithDefault("15m")
        Duration rateLimitPatience();
    }

    /** When a provider counts as down, how it is probed, and how long items wait for it ({@code ProviderOutage}). */
    Outage outage();

    /**
     * A provider outage is a wait, as a rate limit is: its calls stay queued while it is down, and fail only when
     * their item has waited longer than its patience. A streaming request's caller is waiting, so its patience is
     * short; a job's caller comes back for the results.
     */
    interface Outage {

        /**
         * Different calls in a row, on any key of the provider and with no answer between, that fail as an outage
         * does (no connection, a timeout, 5xx or 408) before it counts as down. One item failing again and again is
         * that item's failure; its retries settle it.
         */
        @WithDefault("5")
        int failuresToOpen();

        /** How long after going down the first single call probes the provider; each failed probe doubles it. */
        @WithDefault("1s")
        Duration firstProbe();

        /** The longest wait between probes. */
        @WithDefault("10s")
        Duration maxProbe();

        /**
         * How long an item of a request (JSON or SSE) may wait for a provider that is down before it fails with
         * {@code provider_unreachable}.
         */
        @WithDefault("2m")
        Duration requestPatience();

        /**
         * The same for an item of a job or of the folder command. Below RabbitMQ's consumer timeout (30 min by
         * default), which would close the channel of a message held longer unacknowledged.
         */
        @WithDefault("20m")
        Duration jobPatience();

        /** The patience of an item of {@code kind}. */
        default Duration patience(Flow.Kind kind) {
            return kind == Flow.Kind.REQUEST ? requestPatience() : jobPatience();
        }
    }

    /**
     * The share taken off every price for work sent through the OpenAI Batch API ({@code execution: batch-api}):
     * 0.5 is OpenAI's published half price.
     */
    @WithDefault("0.5")
    double batchDiscount();

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
