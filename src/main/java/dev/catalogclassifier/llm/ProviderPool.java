package dev.catalogclassifier.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.metrics.ClassifierMetrics;
import dev.catalogclassifier.problem.ServiceUnavailableException;
import dev.catalogclassifier.tracing.Traces;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.quarkus.logging.Log;

/**
 * Every configured key of every provider, and the choice of which one makes the next call.
 * <p>
 * A key is a candidate when it serves the model, has not been refused (401/403) and is not cooling down after a
 * 429. Among candidates, those whose recent success is within {@link #RANK_BAND} of the best are in the front
 * rank; of those, a key whose pacer can send now goes, and ties are shared by smooth weighted round-robin on the
 * providers' weights. The pool never waits: {@link ModelCallScheduler} asks it for a key when a call's turn
 * comes, and waits as long as the pool says when none is ready.
 * <p>
 * Keys are known outside this package by alias only: {@code key-1}, {@code key-2} … for the
 * {@code OPENAI_API_KEY} provider and {@code <provider>-key-1} … for named ones.
 */
@ApplicationScoped
public class ProviderPool {

    /** How far below the best score a key may be and still share the calls. */
    static final double RANK_BAND = 0.25;
    /** A pacer's wait short enough to send now: the dispatcher's clock is no finer. */
    private static final long READY_NANOS = 1_000_000L;

    private final List<ProviderKey> keys;
    /** Every key's connections, pooled per provider host up to {@code classifier.llm.max-concurrent-calls}. */
    private final HttpClient http;
    private volatile int sharedBy = 1;
    private final ClassifierMetrics metrics;

    public ProviderPool(LlmConfig config, ClassifierMetrics metrics, Vertx vertx, Traces traces) {
        this.metrics = metrics;
        this.http = vertx.createHttpClient(httpOptions(config), new PoolOptions().setHttp1MaxSize(config.maxConcurrentCalls()));
        EventLoops loops = new EventLoops(vertx);
        Clients clients = (baseUrl, secret, output) -> new ProviderClient(http, loops, baseUrl, secret,
                output == StructuredOutput.STRICT_SCHEMA, config.defaultModel(), config.connectionTimeout(), traces);
        List<ProviderKey> all = new ArrayList<>(keysOf(config.providerName(), "key-", config.baseUrl(),
                config.apiKeys().orElse(List.of()), new LinkedHashSet<>(config.models().orElse(List.of())), config.weight(),
                config.structuredOutput(), config, clients));
        config.providers().forEach((name, p) -> all.addAll(keysOf(name, name + "-key-", p.baseUrl(), p.apiKeys(),
                new LinkedHashSet<>(p.models().orElse(List.of())), p.weight(), p.structuredOutput(), config, clients)));
        this.keys = List.copyOf(all);
        keys.forEach(k -> metrics.providerKey(k.provider(), k.alias(), () -> usable(k, Instant.now()) ? 1 : 0));
        keys.stream().collect(java.util.stream.Collectors.toMap(ProviderKey::provider, ProviderKey::outage, (a, b) -> a))
                .forEach((name, outage) -> metrics.providerUp(name, () -> outage.down() ? 0 : 1));
        // the series dashboards and alerts read exist at zero before the first call
        keys.forEach(k -> List.of("ok", "rate_limited").forEach(o -> metrics.llmCallsSeries(k.provider(), k.alias(), o)));
        if (!keys.isEmpty()) {
            metrics.modelUsage(config.defaultModel(), TenantShares.NONE, 0, 0, 0);
        }
    }

    /**
     * Tells every key how many live pods share it (the deployment's pods share its keys): a limit-only key is
     * then paced to this pod's share of the key's limit, so N pods together stay inside it.
     */
    public void sharedBy(int pods) {
        sharedBy = Math.max(1, pods);
        keys.forEach(k -> k.pacer().sharedBy(sharedBy));
    }

    /** How many live pods share the keys, as last counted. */
    int sharedBy() {
        return sharedBy;
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
     * What {@link #tryLease} found: a key with its permits taken, or how long until one may be ready (a pacer's
     * wait, or the end of a cooldown when every key is cooling).
     */
    record Offer(Lease lease, long waitNanos) {
    }

    /**
     * Takes a key for a call to {@code model} if one may send now; never waits (the {@link ModelCallScheduler}
     * does). Fails when every key serving the model has been refused, or none serves it.
     */
    synchronized Offer tryLease(String model, long estimatedTokens) {
        List<ProviderKey> serving = keys.stream().filter(k -> k.serves(model)).toList();
        if (serving.isEmpty()) {
            throw new ProviderException.Rejected(400, "no configured provider serves the model " + model);
        }
        List<ProviderKey> alive = serving.stream().filter(k -> !k.health().disabled()).toList();
        if (alive.isEmpty()) {
            throw new ProviderException.Rejected(401, "the provider refused every key for " + model);
        }
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        List<ProviderKey> usable = alive.stream().filter(k -> untilUsable(k, now, nanos) == 0).toList();
        if (usable.isEmpty()) { // every key cooling after a 429, or its provider down
            long first = alive.stream().mapToLong(k -> untilUsable(k, now, nanos)).min().orElseThrow();
            return new Offer(null, Math.max(1, first));
        }
        // each key's score and wait read once: other threads change them meanwhile (a failure lowers a score), and a
        // second read could leave no key at the best score, or none ready after all
        double[] scores = usable.stream().mapToDouble(k -> k.health().score()).toArray();
        double best = Arrays.stream(scores).max().orElseThrow();
        List<ProviderKey> front = IntStream.range(0, scores.length).filter(i -> scores[i] >= best - RANK_BAND)
                .mapToObj(usable::get).toList();
        long[] waits = front.stream().mapToLong(k -> k.pacer().wouldWait(estimatedTokens, nanos)).toArray();
        long soonest = Arrays.stream(waits).min().orElseThrow();
        if (soonest > READY_NANOS) {
            return new Offer(null, soonest);
        }
        // keys within a millisecond of ready are equally good: share them by weight
        List<ProviderKey> ready = IntStream.range(0, waits.length).filter(i -> waits[i] <= READY_NANOS)
                .mapToObj(front::get).toList();
        ProviderKey key = nextByWeight(ready);
        key.pacer().reserve(estimatedTokens, nanos);
        key.pacer().sent(estimatedTokens);
        key.outage().leased();
        return new Offer(new Lease(key, estimatedTokens), 0);
    }

    /** Nanoseconds until {@code k} may take a call: its 429 cooldown, or its provider's next probe while it is down. */
    private static long untilUsable(ProviderKey k, Instant now, long nanos) {
        long cooling = now.isBefore(k.health().coolUntil()) ? Duration.between(now, k.health().coolUntil()).toNanos() : 0;
        return Math.max(cooling, k.outage().untilCall(nanos));
    }

    /** Whether every key that could serve {@code model} is of a provider that is down: its calls wait for a probe. */
    boolean down(String model) {
        List<ProviderKey> alive = keys.stream().filter(k -> k.serves(model) && !k.health().disabled()).toList();
        return !alive.isEmpty() && alive.stream().allMatch(k -> k.outage().down());
    }

    /** The providers serving {@code model} when every one of them is down (its calls wait); empty otherwise. */
    public List<String> downFor(String model) {
        return down(model) ? keys.stream().filter(k -> k.serves(model) && !k.health().disabled())
                .map(ProviderKey::provider).distinct().toList() : List.of();
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

    void succeeded(Lease lease, long actualTokens, long latencyNanos) {
        lease.key().outage().answered();
        lease.key().health().succeeded();
        lease.key().pacer().answered(lease.estimatedTokens(), actualTokens, latencyNanos, System.nanoTime());
    }

    /** A 429: the key rests until the provider said it may call again (a second when it did not say). */
    void rateLimited(Lease lease, Duration wait) {
        lease.key().outage().answered();
        Duration rest = wait == null || wait.isZero() ? Duration.ofSeconds(1) : wait;
        lease.key().health().coolDown(rest, Instant.now());
        lease.key().pacer().rateLimited(System.nanoTime());
    }

    /**
     * A 5xx, a timeout, no connection or an unreadable answer: counts against the key's score and, when it is an
     * {@code outage} (all but the unreadable answer), towards its provider's outage. Answers whether the provider
     * is down now, so the call waits for it rather than failing.
     */
    boolean failed(Lease lease, ModelCall call, boolean outage) {
        lease.key().health().failed();
        lease.key().pacer().unanswered();
        if (!outage) { // an answer we could not read: the provider is there
            lease.key().outage().answered();
            return false;
        }
        lease.key().outage().failed(call, System.nanoTime());
        return lease.key().outage().down();
    }

    /** The provider answered, but the answer was no help (a 400, 404…): still an answer, so it is up. */
    void answeredBadly(Lease lease) {
        lease.key().outage().answered();
        lease.key().pacer().unanswered();
    }

    /** A call that held a key ended unsent or cancelled: it took no answer, and a probe it was is no longer out. */
    void released(Lease lease, boolean sent) {
        if (sent) {
            lease.key().pacer().unanswered();
        } else {
            lease.key().pacer().withdrawn(lease.estimatedTokens());
        }
        lease.key().outage().released();
    }

    /** A 401 or 403: the key leaves the rotation, and the logs say which one, by alias. */
    void refused(Lease lease, int status) {
        ProviderKey key = lease.key();
        key.outage().answered();
        key.pacer().unanswered();
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

    private static boolean usable(ProviderKey k, Instant now) {
        return !k.health().disabled() && !now.isBefore(k.health().coolUntil()) && !k.outage().down();
    }

    public static ServiceUnavailableException noKey() {
        return new ServiceUnavailableException("provider-not-configured",
                "No model provider is configured. Set OPENAI_API_KEY (and OPENAI_BASE_URL for an endpoint other "
                        + "than api.openai.com) and restart the service.");
    }

    private static List<ProviderKey> keysOf(String provider, String prefix, String baseUrl, List<String> secrets,
            Set<String> models, int weight, StructuredOutput output, LlmConfig config, Clients clients) {
        List<String> clean = secrets.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        ProviderOutage outage = new ProviderOutage(provider, config.outage());
        return IntStream.range(0, clean.size())
                .mapToObj(i -> new ProviderKey(provider, prefix + (i + 1), baseUrl, clean.get(i), models, weight, output,
                        clients.of(baseUrl, clean.get(i), output), outage))
                .toList();
    }

    /** How a key's client is made. */
    private interface Clients {
        ProviderClient of(String baseUrl, String secret, StructuredOutput output);
    }

    /**
     * Connections are kept alive between calls, and tracing is left to {@link ProviderClient}, which makes the
     * request's span itself (under the attempt's) and sends its {@code traceparent}.
     */
    private static HttpClientOptions httpOptions(LlmConfig config) {
        return new HttpClientOptions().setKeepAlive(true).setTracingPolicy(TracingPolicy.IGNORE)
                .setConnectTimeout((int) config.connectionTimeout().toMillis());
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
