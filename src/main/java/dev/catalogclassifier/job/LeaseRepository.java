package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.database.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the pods' leases ({@link JobLeases}) and the relay ({@link JobRelay}) read and write: the {@code pod} rows, and
 * which pod owns and has published which queued item. Blocking methods, through the one bridge ({@link Blocking}),
 * for the relay's thread, the lease renewal and the shutdown.
 */
@ApplicationScoped
public class LeaseRepository {

    /**
     * Queued items of unfinished realtime work whose owner is gone: none, or a pod whose heartbeat has expired.
     * Realtime work only ({@link RealtimeWork}).
     */
    private static final String TAKE_OVER = """
            UPDATE job_item i SET owner = $1, published = false
            WHERE (i.job_id, i.idx) IN (
                SELECT c.job_id, c.idx FROM job_item c JOIN job j ON j.id = c.job_id
                WHERE %s
                  AND ($4 = false OR NOT c.published)
                  AND (c.owner IS NULL OR NOT EXISTS (SELECT 1 FROM pod p WHERE p.id = c.owner
                                                      AND p.heartbeat_at > now() - make_interval(secs => $2)))
                ORDER BY c.job_id, c.idx LIMIT $3
                FOR UPDATE OF c SKIP LOCKED)
            RETURNING i.job_id""".formatted(RealtimeWork.ITEMS);

    /** Items a stopping pod gives back: no owner, so the first live pod takes them; unpublished, for the outbox. */
    private static final String RELEASE = """
            UPDATE job_item SET owner = NULL, published = false
            WHERE (job_id, idx) IN (SELECT * FROM unnest($1::uuid[], $2::int[])) AND status = 'queued'""";

    /**
     * Items of this pod that no message carries yet, in item order, locked so a take-over cannot move them meanwhile.
     * Realtime work only ({@link RealtimeWork}).
     */
    private static final String PAGE = """
            SELECT c.idx, j.trace_parent FROM job_item c JOIN job j ON j.id = c.job_id
            WHERE c.job_id = $1 AND c.owner = $2 AND NOT c.published AND %s
            ORDER BY c.idx LIMIT $3
            FOR UPDATE OF c SKIP LOCKED""".formatted(RealtimeWork.ITEMS);

    private static final String MARK = "UPDATE job_item SET published = true WHERE job_id = $1 AND idx = ANY($2)";

    private final Pool pool;

    public LeaseRepository(Pool pool) {
        this.pool = pool;
    }

    /** Items of one job for the relay to publish, and the trace context of the job's submit. */
    public record Page(List<Integer> indexes, String traceParent) {
    }

    /** Registers a pod that has just started. */
    public void register(String podId) throws InterruptedException {
        Blocking.await(() -> pool
                .preparedQuery("INSERT INTO pod (id, started_at, heartbeat_at) VALUES ($1, now(), now())")
                .execute(Tuple.of(podId)).replaceWithVoid());
    }

    /** Renews the pod's heartbeat, registering it again if its row was removed meanwhile. */
    public void heartbeat(String podId) throws InterruptedException {
        Blocking.await(() -> pool.preparedQuery("""
                INSERT INTO pod (id, started_at, heartbeat_at) VALUES ($1, now(), now())
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()""").execute(Tuple.of(podId)).replaceWithVoid());
    }

    /** The pods whose heartbeat is younger than {@code ttl}. */
    public int livePods(Duration ttl) throws InterruptedException {
        return Blocking.await(() -> pool.preparedQuery(
                "SELECT count(*) AS pods FROM pod WHERE heartbeat_at > now() - make_interval(secs => $1)")
                .execute(Tuple.of(seconds(ttl))).map(rows -> rows.iterator().next().getLong("pods").intValue()));
    }

    /**
     * Takes up to {@code limit} queued items of pods gone for longer than {@code ttl} (with the outbox, only those no
     * message carries) for {@code podId}, unpublished; how many it took, by job.
     */
    public Map<UUID, Integer> takeOver(String podId, Duration ttl, int limit, boolean outbox)
            throws InterruptedException {
        return Blocking.await(() -> pool.preparedQuery(TAKE_OVER).execute(Tuple.of(podId, seconds(ttl), limit, outbox))
                .map(rows -> {
                    Map<UUID, Integer> byJob = new LinkedHashMap<>();
                    rows.forEach(row -> byJob.merge(row.getUUID("job_id"), 1, Integer::sum));
                    return byJob;
                }));
    }

    /**
     * In one transaction: the items a stopping pod gives back lose their owner and are unpublished, and the pod's row
     * goes. Bounded by {@code atMost}: a shutdown does not wait long for a database that is away.
     */
    public void release(String podId, List<ItemWork> given, Duration atMost) throws InterruptedException {
        Blocking.await(() -> pool.withTransaction(connection -> connection.preparedQuery(RELEASE)
                .execute(Tuple.of(given.stream().map(ItemWork::jobId).toArray(UUID[]::new),
                        given.stream().map(ItemWork::index).toArray(Integer[]::new)))
                .chain(() -> connection.preparedQuery("DELETE FROM pod WHERE id = $1").execute(Tuple.of(podId))))
                .replaceWithVoid(), atMost);
    }

    /**
     * Up to {@code room} of the pod's unpublished items of one job, locked while they are read; marked published in
     * the same transaction when {@code markNow} (in-process, where the messages are in memory once sent).
     */
    public Page page(UUID jobId, String podId, int room, boolean markNow) throws InterruptedException {
        return Blocking.await(() -> pool.withTransaction(tx -> tx.preparedQuery(PAGE)
                .execute(Tuple.of(jobId, podId, room))
                .map(rows -> {
                    List<Integer> indexes = new ArrayList<>();
                    String[] traceParent = new String[1];
                    rows.forEach(row -> {
                        indexes.add(row.getInteger("idx"));
                        traceParent[0] = row.getString("trace_parent");
                    });
                    return new Page(indexes, traceParent[0]);
                })
                .call(page -> page.indexes().isEmpty() || !markNow ? Uni.createFrom().voidItem()
                        : mark(tx, jobId, page.indexes()))));
    }

    /** Marks items published: the broker has confirmed their messages. */
    public void markPublished(UUID jobId, List<Integer> indexes) throws InterruptedException {
        Blocking.await(() -> mark(pool, jobId, indexes));
    }

    private static Uni<Void> mark(SqlClient client, UUID jobId, List<Integer> indexes) {
        return client.preparedQuery(MARK).execute(Tuple.of(jobId, indexes.toArray(Integer[]::new))).replaceWithVoid();
    }

    private static double seconds(Duration duration) {
        return (double) duration.toMillis() / 1000;
    }
}
