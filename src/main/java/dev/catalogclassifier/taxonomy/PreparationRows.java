package dev.catalogclassifier.taxonomy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code taxonomy_preparation} table: background preparations of taxonomies, one row per name being prepared. */
@ApplicationScoped
public class PreparationRows {

    private static final String COLUMNS = "tenant, name, attempt, definition, pod, phase, categories, examples, started_at, error";

    /** A preparation: whose and which taxonomy, its attempt, its definition (the PUT's JSON) and how far it got. */
    public record Preparation(String tenant, String name, UUID attempt, String definition, PreparationPhase phase,
            int categories, int examples, java.time.Instant startedAt, String error) {

        /** What a view shows of it. */
        public TaxonomyView.Preparation view() {
            return new TaxonomyView.Preparation(phase, startedAt, categories, examples, error);
        }
    }

    private final Pool pool;

    public PreparationRows(Pool pool) {
        this.pool = pool;
    }

    /** Starts (or restarts, for a newer PUT of the name) a preparation owned by {@code pod}. */
    Uni<Void> begin(Preparation p, String pod) {
        return pool.preparedQuery("""
                INSERT INTO taxonomy_preparation (%s) VALUES ($1, $2, $3, $4, $5, 'embedding', $6, $7, now(), NULL)
                ON CONFLICT (tenant, name) DO UPDATE SET attempt = $3, definition = $4, pod = $5, phase = 'embedding',
                    categories = $6, examples = $7, started_at = now(), error = NULL""".formatted(COLUMNS))
                .execute(Tuple.from(List.of(p.tenant(), p.name(), p.attempt(), p.definition(), pod, p.categories(), p.examples())))
                .replaceWithVoid();
    }

    /** In a DELETE's transaction: ends any preparation of the name; true when there was one. */
    Uni<Boolean> finish(SqlConnection conn, String tenant, String name) {
        return conn.preparedQuery("DELETE FROM taxonomy_preparation WHERE tenant = $1 AND name = $2")
                .execute(Tuple.of(tenant, name)).map(rows -> rows.rowCount() > 0);
    }

    /**
     * In the transaction that stores the taxonomy: ends {@code attempt}'s row (null: any preparation of the name, which a
     * waited-for PUT supersedes). False when the attempt is no longer current: a newer PUT replaced it.
     */
    Uni<Boolean> finish(SqlConnection conn, String tenant, String name, UUID attempt) {
        if (attempt == null) {
            return finish(conn, tenant, name).replaceWith(true);
        }
        return conn.preparedQuery("DELETE FROM taxonomy_preparation WHERE tenant = $1 AND name = $2 AND attempt = $3")
                .execute(Tuple.of(tenant, name, attempt)).map(rows -> rows.rowCount() > 0);
    }

    /** Records the phase an attempt has reached; a failure to record it is only logged (it shows progress, no more). */
    void phase(String tenant, String name, UUID attempt, PreparationPhase phase, String error) {
        pool.preparedQuery("UPDATE taxonomy_preparation SET phase = $4, error = $5 WHERE tenant = $1 AND name = $2 AND attempt = $3")
                .execute(Tuple.from(java.util.Arrays.asList(tenant, name, attempt, phase.wireName(), error)))
                .subscribe().with(ok -> { }, e -> Log.debugf("Phase of taxonomy %s not recorded: %s", name, e.toString()));
    }

    /** The preparation of the taxonomy {@code tenant} would see by that name: its own, else a shared one. */
    public Uni<Optional<Preparation>> visible(String tenant, String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM taxonomy_preparation WHERE name = $1 AND tenant IN ($2, '') "
                + "ORDER BY tenant = '' LIMIT 1").execute(Tuple.of(name, tenant))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(of(rows.iterator().next())));
    }

    /** Every preparation {@code tenant} sees ({@code all}: every tenant's). */
    Uni<List<Preparation>> list(String tenant, boolean all) {
        var rows = all ? pool.query("SELECT " + COLUMNS + " FROM taxonomy_preparation").execute()
                : pool.preparedQuery("SELECT " + COLUMNS + " FROM taxonomy_preparation WHERE tenant IN ($1, '')")
                        .execute(Tuple.of(tenant));
        return rows.map(found -> {
            List<Preparation> list = new ArrayList<>();
            found.forEach(r -> list.add(of(r)));
            return list;
        });
    }

    /**
     * Takes over, for {@code pod}, the unfinished preparations whose pod is gone: none, or one whose heartbeat is older
     * than {@code ttl}. Each gets a new attempt, so the dead pod's, should it come back, stores nothing.
     */
    Uni<List<Preparation>> takeOver(String pod, Duration ttl) {
        return pool.preparedQuery("""
                UPDATE taxonomy_preparation t SET pod = $1, attempt = gen_random_uuid(), phase = 'embedding', started_at = now()
                WHERE t.error IS NULL AND (t.pod IS NULL OR NOT EXISTS (
                    SELECT 1 FROM pod p WHERE p.id = t.pod AND p.heartbeat_at > now() - make_interval(secs => $2)))
                RETURNING %s""".formatted(COLUMNS))
                .execute(Tuple.of(pod, (double) ttl.toSeconds()))
                .map(found -> {
                    List<Preparation> list = new ArrayList<>();
                    found.forEach(r -> list.add(of(r)));
                    return list;
                });
    }

    private static Preparation of(Row r) {
        return new Preparation(r.getString("tenant"), r.getString("name"), r.getUUID("attempt"), r.getString("definition"),
                PreparationPhase.parse(r.getString("phase")), r.getInteger("categories"), r.getInteger("examples"),
                r.getOffsetDateTime("started_at").toInstant(), r.getString("error"));
    }
}
