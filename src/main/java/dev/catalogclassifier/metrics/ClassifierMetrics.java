package dev.catalogclassifier.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every meter the service publishes, by its DESIGN §4 name. Micrometer adds the Prometheus suffixes:
 * {@code classifier.items} becomes {@code classifier_items_total}, a timer in seconds becomes
 * {@code classifier_item_duration_seconds}. Labels stay low-cardinality: no ids, URLs or messages, and key
 * aliases instead of keys.
 */
// created at start-up so every series is visible (at zero) before the first request: the HPA and dashboards need it
@Startup
@ApplicationScoped
public class ClassifierMetrics {

    public static final String ITEMS = "classifier.items";
    public static final String ITEM_DURATION = "classifier.item.duration";
    public static final String ITEMS_IN_FLIGHT = "classifier.items.in.flight";
    public static final String REQUEST_COST = "classifier.request.cost";
    public static final String COST = "classifier.cost";
    public static final String TOKENS = "classifier.tokens";
    public static final String LLM_CALLS = "classifier.llm.calls";
    public static final String PROVIDER_KEY_USABLE = "classifier.provider.key.usable";
    public static final String PROVIDER_UP = "classifier.provider.up";
    public static final String JOB_ITEMS_QUEUED = "classifier.job.items.queued";
    public static final String JOBS = "classifier.jobs";
    public static final String CALLS_IN_FLIGHT = "classifier.llm.calls.in.flight";
    public static final String CALLS_WAITING = "classifier.llm.calls.waiting";
    /** Results judged, by taxonomy ({@code inline} for a list sent with the request) and whether marked for review. */
    public static final String REVIEW = "classifier.review.items";
    /** Answers of the model learnt as examples, by taxonomy. */
    public static final String EXAMPLES_LEARNT = "classifier.examples.learnt";
    private static final String[] JOB_STATUSES = { "queued", "running", "completed", "failed", "cancelled" };

    private final MeterRegistry registry;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong jobItemsQueued = new AtomicLong();
    private final java.util.Map<String, AtomicLong> jobs = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Meters by their tags, registered once: every item and call counts several, and a builder's lookup in the
     * registry costs more than the count (it showed in the profile of the classification benchmark).
     */
    private final java.util.Map<java.util.List<String>, io.micrometer.core.instrument.Meter> meters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ClassifierMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(ITEMS_IN_FLIGHT, inFlight, AtomicLong::doubleValue)
                .description("Items accepted by this instance and not finished yet (queued or running)")
                .register(registry);
        Gauge.builder(JOB_ITEMS_QUEUED, jobItemsQueued, AtomicLong::doubleValue)
                .description("Items of durable jobs not finished yet, over all pods: the backlog KEDA scales on")
                .register(registry);
        for (String status : JOB_STATUSES) {
            AtomicLong count = jobs.computeIfAbsent(status, k -> new AtomicLong());
            Gauge.builder(JOBS, count, AtomicLong::doubleValue).description("Durable jobs kept, by status")
                    .tag("status", status).register(registry);
        }
        preRegister();
    }

    /** The jobs' backlog and counts by status, as last read from the database. */
    public void jobs(long itemsQueued, java.util.Map<String, Long> byStatus) {
        jobItemsQueued.set(itemsQueued);
        for (String status : JOB_STATUSES) {
            jobs.get(status).set(byStatus.getOrDefault(status, 0L));
        }
    }

    /** Zero-valued series exist from start-up, so dashboards and the HPA see 0 instead of "no data". */
    private void preRegister() {
        for (String mode : new String[] { "text", "image" }) {
            for (String outcome : new String[] { "ok", "failed", "rejected", "cached" }) {
                items(mode, outcome, "none"); // the open service's tag (TenantShares.NONE)
            }
            itemTimer(mode);
        }
        requestCostSummary("request");
        requestCostSummary("job");
    }

    public void itemStarted() {
        inFlight.incrementAndGet();
    }

    public void itemFinished() {
        inFlight.decrementAndGet();
    }

    /** {@code tenant}: its metric tag (a bounded set). */
    public void itemCompleted(String mode, String outcome, String tenant, Duration took) {
        items(mode, outcome, tenant).increment();
        if (took != null) {
            itemTimer(mode).record(took);
        }
    }

    /** {@code tenant}: its metric tag (a bounded set). */
    public void modelUsage(String model, String tenant, long promptTokens, long completionTokens, double costUsd) {
        counter(java.util.List.of(TOKENS, model, "prompt", tenant), () -> Counter.builder(TOKENS)
                .description("Tokens used, by model, kind (prompt, completion) and tenant")
                .tags("model", model, "kind", "prompt", "tenant", tenant).register(registry)).increment(promptTokens);
        counter(java.util.List.of(TOKENS, model, "completion", tenant), () -> Counter.builder(TOKENS)
                .description("Tokens used, by model, kind (prompt, completion) and tenant")
                .tags("model", model, "kind", "completion", "tenant", tenant).register(registry)).increment(completionTokens);
        counter(java.util.List.of(COST, model, tenant), () -> Counter.builder(COST).baseUnit("usd")
                .description("Money spent on model calls, by model and tenant")
                .tags("model", model, "tenant", tenant).register(registry)).increment(costUsd);
    }

    private Counter counter(java.util.List<String> key, java.util.function.Supplier<Counter> register) {
        return (Counter) meters.computeIfAbsent(key, k -> register.get());
    }

    public void llmCall(String provider, String keyAlias, String outcome) {
        llmCallsSeries(provider, keyAlias, outcome).increment();
    }

    /** The calls counter of one key and outcome, registered (at zero) if it was not yet. */
    public Counter llmCallsSeries(String provider, String keyAlias, String outcome) {
        return counter(java.util.List.of(LLM_CALLS, provider, keyAlias, outcome), () -> Counter.builder(LLM_CALLS)
                .description("Calls to the model provider, by provider, key alias and outcome")
                .tags("provider", provider, "key", keyAlias, "outcome", outcome).register(registry));
    }

    /** 1 while a key takes calls, 0 while it cools down after a 429 or after it was refused. */
    public void providerKey(String provider, String keyAlias, java.util.function.Supplier<Number> usable) {
        gauge(Gauge.builder(PROVIDER_KEY_USABLE, usable).description("Whether a provider key takes calls now (1) or not (0)"),
                PROVIDER_KEY_USABLE, "provider", provider, "key", keyAlias);
    }

    /** Whether a provider answers (1) or is down (0): its calls wait while it is down. */
    public void providerUp(String provider, java.util.function.Supplier<Number> up) {
        gauge(Gauge.builder(PROVIDER_UP, up).description("Whether a model provider answers (1) or is down and probed (0)"),
                PROVIDER_UP, "provider", provider);
    }

    /** The scheduler's calls in flight and waiting for a turn: the load an autoscaler can read. */
    public void scheduler(java.util.function.Supplier<Number> inFlight, java.util.function.Supplier<Number> waiting) {
        gauge(Gauge.builder(CALLS_IN_FLIGHT, inFlight).description("Model calls in flight now, over every flow"), CALLS_IN_FLIGHT);
        gauge(Gauge.builder(CALLS_WAITING, waiting).description("Model calls waiting for their turn or for a key's permit"),
                CALLS_WAITING);
    }

    /**
     * Registers a gauge of this application's state, replacing one left under the same name and tags: Quarkus's
     * registry outlives an application restarted in the same JVM (dev mode, tests), and would otherwise keep reading
     * the first application's objects and ignore the new gauge.
     */
    private void gauge(Gauge.Builder<?> builder, String name, String... tags) {
        Gauge stale = registry.find(name).tags(tags).gauge();
        if (stale != null) {
            registry.remove(stale);
        }
        builder.tags(tags).strongReference(true).register(registry);
    }

    /** A result judged: {@code review} when it is below the precision asked. */
    public void judged(String taxonomy, boolean review) {
        String tag = taxonomy == null ? "inline" : taxonomy;
        String marked = String.valueOf(review);
        counter(java.util.List.of(REVIEW, tag, marked), () -> Counter.builder(REVIEW)
                .description("Results judged, by taxonomy and whether they are marked for review (below the precision asked)")
                .tags("taxonomy", tag, "review", marked).register(registry)).increment();
    }

    public void examplesLearnt(String taxonomy, int count) {
        counter(java.util.List.of(EXAMPLES_LEARNT, taxonomy), () -> Counter.builder(EXAMPLES_LEARNT)
                .description("Answers of the model learnt as examples of a taxonomy")
                .tags("taxonomy", taxonomy).register(registry)).increment(count);
    }

    public void requestCost(String kind, double costUsd) {
        requestCostSummary(kind).record(costUsd);
    }

    private Counter items(String mode, String outcome, String tenant) {
        return counter(java.util.List.of(ITEMS, mode, outcome, tenant), () -> Counter.builder(ITEMS)
                .description("Items classified, by mode, outcome and tenant")
                .tags("mode", mode, "outcome", outcome, "tenant", tenant).register(registry));
    }

    private Timer itemTimer(String mode) {
        return (Timer) meters.computeIfAbsent(java.util.List.of(ITEM_DURATION, mode), k -> Timer.builder(ITEM_DURATION)
                .description("Time to classify one item, from its first model call to its result")
                .tags("mode", mode).publishPercentileHistogram().register(registry));
    }

    private DistributionSummary requestCostSummary(String kind) {
        return DistributionSummary.builder(REQUEST_COST).baseUnit("usd")
                .description("Cost of one classification request or job")
                .tags("kind", kind).register(registry);
    }
}
