package dev.catalogclassifier.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.database.WriteBehind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Answers already paid for. An item whose prompt (model, taxonomy and item text, exactly as the model would
 * see them) was answered before gets the stored answer at no cost. The cache is an optimisation only: while
 * the database is away, lookups find nothing and new answers are not kept, and classification goes on.
 */
@ApplicationScoped
public class ResultCache {

    private static final int WRITE_BATCH = 500;

    private final Database database;
    private final boolean enabled;
    private WriteBehind<CachedAnswer> writer;

    /** What was answered before, and the chance it was judged to have of being right (null: not judged). */
    public record Hit(String category, double confidence, String model, Double chance) {
    }

    public ResultCache(Database database, CacheConfig config) {
        this.database = database;
        this.enabled = config.enabled();
    }

    void start(@Observes StartupEvent start) {
        // answers not yet written when the service stops are simply not kept: the cache is an optimisation
        writer = new WriteBehind<>("result-cache-writer", WRITE_BATCH, this::write, abandoned -> { });
    }

    void stop(@Observes ShutdownEvent stop) {
        writer.stop();
    }

    /**
     * The cache key of one prompt: model, categories and the item as prompted, for one tenant (null on an open
     * service): a tenant never gets an answer another paid for, nor learns from a hit what another classified.
     */
    public static String key(String tenant, String model, String categories, String item) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<String> parts = tenant == null ? List.of(model, categories, item)
                    : List.of("tenant:" + tenant, model, categories, item); // an open service keeps its keys
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Stored answers for these keys; empty while the database is unavailable. */
    public Uni<Map<String, Hit>> lookup(Collection<String> keys) {
        if (!enabled || keys.isEmpty() || !database.ready()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.withSession(() -> CachedAnswer.<CachedAnswer>list("key in ?1", List.copyOf(keys)))
                .map(rows -> rows.stream().collect(Collectors.toMap(r -> r.key,
                        r -> new Hit(r.category, r.confidence, r.model, r.chance), (a, b) -> a)))
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("Result cache lookup skipped: %s", e.toString());
                    return Map.of();
                });
    }

    /** The same lookup, blocking: for callers on virtual threads, whichever thread they came from. */
    public Map<String, Hit> lookupBlocking(Collection<String> keys) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> lookup(keys));
        } catch (Throwable e) {
            Log.debugf("Result cache lookup skipped: %s", e.toString());
            return Map.of();
        }
    }

    /** Keeps an answer for next time; written in the background, in batches. */
    public void remember(String key, String category, double confidence, String model, Double chance) {
        if (!enabled) {
            return;
        }
        CachedAnswer answer = new CachedAnswer();
        answer.key = key;
        answer.category = category;
        answer.confidence = confidence;
        answer.model = model;
        answer.chance = chance;
        answer.createdAt = Instant.now();
        writer.add(answer);
    }

    private void write(List<CachedAnswer> batch) {
        if (!database.ready()) {
            return;
        }
        // one answer per key: the last one wins within a batch, and a stored one is left alone
        Map<String, CachedAnswer> unique = batch.stream()
                .collect(Collectors.toMap(a -> a.key, Function.identity(), (a, b) -> b));
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() ->
                    CachedAnswer.<CachedAnswer>list("key in ?1", List.copyOf(unique.keySet())).chain(stored -> {
                        stored.forEach(s -> unique.remove(s.key));
                        return CachedAnswer.persist(unique.values());
                    })));
        } catch (Throwable e) {
            Log.debugf("Result cache write skipped (%d answers): %s", batch.size(), e.toString());
        }
    }
}
