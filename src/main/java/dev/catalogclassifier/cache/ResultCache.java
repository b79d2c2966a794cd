package dev.catalogclassifier.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.database.WriteBehind;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Answers already paid for. An item whose prompt (model, taxonomy and item text, exactly as the model would
 * see them) was answered before gets the stored answer at no cost. The cache is an optimisation only: while
 * the database is away, lookups find nothing and new answers are not kept, and classification goes on.
 */
@ApplicationScoped
public class ResultCache {

    private static final int WRITE_BATCH = 500;
    /**
     * How long a write waits for more answers: nobody waits for it, and under load it makes a statement per few
     * hundred answers instead of one per handful (docs/benchmarks.md).
     */
    private static final Duration WRITE_LINGER = Duration.ofMillis(200);
    /** How long a lookup or a write waits for the database before it gives up: the cache only saves money. */
    private static final Duration DATABASE_WAIT = Duration.ofSeconds(10);
    static final String LOOKUP =
            "SELECT key, category, confidence, model, chance FROM classification_cache WHERE key = ANY($1)";
    /** A batch in one statement, a column an array: one execution, not one per answer (docs/benchmarks.md). */
    private static final String INSERT = """
            INSERT INTO classification_cache (key, category, confidence, model, chance, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::float8[], $6::timestamptz[])
            ON CONFLICT (key) DO NOTHING""";

    private final Database database;
    private final boolean enabled;
    private final Pool pool;
    private WriteBehind<Answer> writer;

    /** What was answered before, and the chance it was judged to have of being right (null: not judged). */
    public record Hit(String category, double confidence, String model, Double chance) {
    }

    public ResultCache(Database database, CacheConfig config, Pool pool) {
        this.pool = pool;
        this.database = database;
        this.enabled = config.enabled();
    }

    void start(@Observes StartupEvent start) {
        // answers not yet written when the service stops are simply not kept: the cache is an optimisation
        writer = new WriteBehind<>("result-cache-writer", WRITE_BATCH, WRITE_LINGER, this::write, abandoned -> { });
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

    /**
     * Stored answers for these keys; empty while the database is unavailable. Blocks: for callers on virtual
     * threads. One statement of the SQL client: an HQL query with a list parameter is planned anew at every call,
     * and this runs once per run of items.
     */
    public Map<String, Hit> lookupBlocking(Collection<String> keys) {
        if (!enabled || keys.isEmpty() || !database.ready()) {
            return Map.of();
        }
        try {
            return Blocking.await(() -> pool.preparedQuery(LOOKUP).execute(Tuple.of(keys.toArray(String[]::new)))
                    .map(rows -> {
                        Map<String, Hit> hits = new HashMap<>();
                        rows.forEach(r -> hits.putIfAbsent(r.getString("key"), new Hit(r.getString("category"),
                                r.getDouble("confidence"), r.getString("model"), r.getDouble("chance"))));
                        return hits;
                    }), DATABASE_WAIT);
        } catch (RuntimeException e) {
            Log.debugf("Result cache lookup skipped: %s", e.toString());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the item is being stopped: it goes on without the cache
            return Map.of();
        }
    }

    /** Keeps an answer for next time; written in the background, in batches. */
    public void remember(String key, String category, double confidence, String model, Double chance) {
        if (!enabled) {
            return;
        }
        writer.add(new Answer(key, category, confidence, model, chance, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    private void write(List<Answer> batch) throws InterruptedException {
        if (!database.ready()) {
            return;
        }
        // one answer per key: the last one wins within a batch, and a stored one is left alone
        Map<String, Answer> unique = new LinkedHashMap<>();
        batch.forEach(a -> unique.put(a.key(), a));
        List<Answer> answers = List.copyOf(unique.values());
        Tuple columns = Tuple.of(answers.stream().map(Answer::key).toArray(String[]::new),
                answers.stream().map(Answer::category).toArray(String[]::new),
                answers.stream().map(Answer::confidence).toArray(Double[]::new),
                answers.stream().map(Answer::model).toArray(String[]::new),
                answers.stream().map(Answer::chance).toArray(Double[]::new),
                answers.stream().map(Answer::createdAt).toArray(OffsetDateTime[]::new));
        try {
            Blocking.await(() -> pool.preparedQuery(INSERT).execute(columns).replaceWithVoid(), DATABASE_WAIT);
        } catch (RuntimeException e) {
            Log.debugf("Result cache write skipped (%d answers): %s", batch.size(), e.toString());
        }
    }

    /** An answer waiting to be written. */
    private record Answer(String key, String category, double confidence, String model, Double chance,
            OffsetDateTime createdAt) {
    }
}
