package dev.catalogclassifier.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.metrics.ClassifierMetrics;
import dev.catalogclassifier.problem.ServiceUnavailableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkus.logging.Log;

/**
 * Every configured key of every provider, and the choice of which one makes the next call.
 * <p>
 * A key is a candidate when it serves the model, has not been refused (401/403) and is not cooling down after a
 * 429. Among candidates, those whose recent success is within {@link #RANK_BAND} of the best are in the front
 * rank; of those, the key whose pacer can send soonest goes, and ties are shared by smooth weighted round-robin
 * on the providers' weights. The chosen key's permits are reserved under the pool's lock and waited for outside
 * it, so callers queue in order instead of stampeding.
 * <p>
 * Keys are known outside this package by alias only: {@code key-1}, {@code key-2} … for the
 * {@code OPENAI_API_KEY} provider and {@code <provider>-key-1} … for named ones.
 */
@ApplicationScoped
public class ProviderPool {

    /** How far below the best score a key may be and still share the calls. */
    static final double RANK_BAND = 0.25;
    private static final Duration MAX_NAP = Duration.ofMillis(250);

    private final List<ProviderKey> keys;
    private final ClassifierMetrics metrics;

    public ProviderPool(LlmConfig config, ClassifierMetrics metrics) {
        this.metrics = metrics;
        List<ProviderKey> all = new ArrayList<>(keysOf(config.providerName(), "key-", config.baseUrl(),
                config.apiKeys().orElse(List.of()), new LinkedHashSet<>(config.models().orElse(List.of())), config.weight(),
                config));
        config.providers().forEach((name, p) -> all.addAll(keysOf(name, name + "-key-", p.baseUrl(), p.apiKeys(),
                new LinkedHashSet<>(p.models().orElse(List.of())), p.weight(), config)));
        this.keys = List.copyOf(all);
        keys.forEach(k -> metrics.providerKey(k.provider(), k.alias(), () -> usable(k, Instant.now()) ? 1 : 0));
        // the series dashboards and alerts read exist at zero before the first call
        keys.forEach(k -> List.of("ok", "rate_limited").forEach(o -> metrics.llmCallsSeries(k.provider(), k.alias(), o)));
        if (!keys.isEmpty()) {
            metrics.modelUsage(config.defaultModel(), 0, 0, 0);
        }
    }

    public boolean configured() {
        return !keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    List<ProviderKey> keys() {
        return keys;
    }

    /** A key's permits, reserved for one call. */
    record Lease(ProviderKey key, long estimatedTokens) {
    }

    /**
     * Picks a key for a call to {@code model} and waits until its pacer lets the call go. Waits through cooldowns
     * when every key is cooling; fails when every key serving the model has been refused.
     */
    Lease acquire(String model, long estimatedTokens, BooleanSupplier cancelled) {
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw new ModelCall.Cancelled();
            }
            Instant now = Instant.now();
            Choice choice = choose(model, estimatedTokens, now);
            if (choice.lease != null) {
                awaitPermit(choice.lease, choice.waitNanos, cancelled);
                return choice.lease;
            }
            nap(Duration.between(now, choice.coolingUntil));
        }
    }

    private record Choice(Lease lease, long waitNanos, Instant coolingUntil) {
    }

    private synchronized Choice choose(String model, long estimatedTokens, Instant now) {
        List<ProviderKey> serving = keys.stream().filter(k -> k.serves(model)).toList();
        if (serving.isEmpty()) {
            throw new ProviderException.Rejected(400, "no configured provider serves the model " + model);
        }
        List<ProviderKey> alive = serving.stream().filter(k -> !k.health().disabled()).toList();
        if (alive.isEmpty()) {
            throw new ProviderException.Rejected(401, "the provider refused every key for " + model);
        }
        List<ProviderKey> usable = alive.stream().filter(k -> !now.isBefore(k.health().coolUntil())).toList();
        if (usable.isEmpty()) {
            Instant first = alive.stream().map(k -> k.health().coolUntil()).min(Comparator.naturalOrder()).orElseThrow();
            return new Choice(null, 0, first);
        }
        double best = usable.stream().mapToDouble(k -> k.health().score()).max().orElseThrow();
        long nanos = System.nanoTime();
        List<ProviderKey> front = usable.stream().filter(k -> k.health().score() >= best - RANK_BAND).toList();
        long soonest = front.stream().mapToLong(k -> k.pacer().wouldWait(estimatedTokens, nanos)).min().orElseThrow();
        // keys within a millisecond of the soonest are equally good: share them by weight
        List<ProviderKey> ready = front.stream()
                .filter(k -> k.pacer().wouldWait(estimatedTokens, nanos) <= soonest + 1_000_000).toList();
        ProviderKey key = nextByWeight(ready);
        long wait = key.pacer().reserve(estimatedTokens, nanos);
        return new Choice(new Lease(key, estimatedTokens), wait, null);
    }

    /** Smooth weighted round-robin: even spread in proportion to weight, without bursts on the heaviest. */
    private static ProviderKey nextByWeight(List<ProviderKey> ready) {
        int total = ready.stream().mapToInt(ProviderKey::weight).sum();
        ProviderKey chosen = null;
        for (ProviderKey k : ready) {
            k.turn += k.weight();
            if (chosen == null || k.turn > chosen.turn) {
                chosen = k;
            }
        }
        chosen.turn -= total;
        return chosen;
    }

    private void awaitPermit(Lease lease, long waitNanos, BooleanSupplier cancelled) {
        long until = System.nanoTime() + waitNanos;
        try {
            for (long left = waitNanos; left > 0; left = until - System.nanoTime()) {
                if (cancelled.getAsBoolean()) {
                    throw new ModelCall.Cancelled();
                }
                nap(Duration.ofNanos(left));
            }
        } catch (RuntimeException e) {
            lease.key().pacer().withdrawn(lease.estimatedTokens());
            throw e;
        }
        lease.key().pacer().sent(lease.estimatedTokens());
    }

    private static void nap(Duration wait) {
        try {
            Thread.sleep(wait.compareTo(MAX_NAP) > 0 ? MAX_NAP : wait.isNegative() ? Duration.ZERO : wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCall.Cancelled(); // whoever runs this item stopped it while it waited for a permit
        }
    }

    void succeeded(Lease lease, long actualTokens) {
        lease.key().health().succeeded();
        lease.key().pacer().answered(lease.estimatedTokens(), actualTokens);
    }

    /** A 429: the key rests until the provider said it may call again (a second when it did not say). */
    void rateLimited(Lease lease, Duration wait) {
        Duration rest = wait == null || wait.isZero() ? Duration.ofSeconds(1) : wait;
        lease.key().health().coolDown(rest, Instant.now());
        lease.key().pacer().rateLimited(System.nanoTime());
    }

    void failed(Lease lease) {
        lease.key().health().failed();
    }

    /** A 401 or 403: the key leaves the rotation, and the logs say which one, by alias. */
    void refused(Lease lease, int status) {
        ProviderKey key = lease.key();
        boolean first = !key.health().disabled();
        key.health().disable("HTTP " + status);
        if (first) {
            Log.warnf("Provider %s refused key %s (HTTP %d): it leaves the rotation until restart; %d other key(s) remain",
                    key.provider(), key.alias(), status, keys.stream().filter(k -> !k.health().disabled()).count());
        }
    }

    /** Whether a call that failed on {@code failed} can go to another key straight away. */
    boolean anotherUsable(ProviderKey failed, String model) {
        Instant now = Instant.now();
        return keys.stream().anyMatch(k -> k != failed && k.serves(model) && usable(k, now));
    }

    /**
     * Where to reach a key for work outside the chat path (the Batch API's files and batches). {@code toString}
     * leaves the secret out.
     */
    public record Endpoint(String provider, String alias, String baseUrl, String secret) {
        @Override
        public String toString() {
            return provider + "/" + alias;
        }
    }

    /** The key with this alias, refused or not: a batch stays with the key that created it. */
    public Optional<Endpoint> endpoint(String alias) {
        return keys.stream().filter(k -> k.alias().equals(alias)).findFirst().map(ProviderPool::endpoint);
    }

    /** The healthiest usable key serving {@code model}, for a new batch. */
    public Optional<Endpoint> endpointFor(String model) {
        Instant now = Instant.now();
        return keys.stream().filter(k -> k.serves(model) && usable(k, now))
                .max(Comparator.comparingDouble(k -> k.health().score())).map(ProviderPool::endpoint);
    }

    private static Endpoint endpoint(ProviderKey k) {
        return new Endpoint(k.provider(), k.alias(), k.baseUrl(), k.secret());
    }

    /** The key whose credentials a request carried, to credit it with the rate-limit headers of the answer. */
    Optional<ProviderKey> byCredentials(String authorization, String apiKeyHeader) {
        return keys.stream().filter(k -> k.sentAs(authorization, apiKeyHeader)).findFirst();
    }

    private static boolean usable(ProviderKey k, Instant now) {
        return !k.health().disabled() && !now.isBefore(k.health().coolUntil());
    }

    public static ServiceUnavailableException noKey() {
        return new ServiceUnavailableException("provider-not-configured",
                "No model provider is configured. Set OPENAI_API_KEY (and OPENAI_BASE_URL for an endpoint other "
                        + "than api.openai.com) and restart the service.");
    }

    private static List<ProviderKey> keysOf(String provider, String prefix, String baseUrl, List<String> secrets,
            Set<String> models, int weight, LlmConfig config) {
        List<String> clean = secrets.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        return IntStream.range(0, clean.size())
                .mapToObj(i -> new ProviderKey(provider, prefix + (i + 1), baseUrl, clean.get(i), models, weight,
                        client(config, baseUrl, clean.get(i))))
                .toList();
    }

    /**
     * LangChain4j's own retries stay off ({@code maxRetries(0)}: the builder counts retries, not attempts), so
     * {@link ModelClient} is the one retry layer.
     */
    private static ChatModel client(LlmConfig config, String baseUrl, String secret) {
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl)
                .apiKey(secret)
                .modelName(config.defaultModel())
                .timeout(config.connectionTimeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build();
    }
}
