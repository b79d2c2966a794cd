package dev.catalogclassifier.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.llm.ProviderPool;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Which pod owns which queued job item. Each pod has an identity ({@link PodIdentity}, new at every start) and a row
 * in {@code pod} whose heartbeat it renews every {@code classifier.jobs.lease-renew}; an item submitted or retried
 * on a pod is owned by it, and its {@link JobRelay} publishes it. With the in-process channel a pod that dies takes
 * its queue with it: once its heartbeat is older than {@code classifier.jobs.lease-ttl}, any live pod takes all its
 * queued items over ({@code SELECT … FOR UPDATE SKIP LOCKED}, so two pods never take the same item), unpublished,
 * for its own relay. Live pods' items are never taken, however many pods start. With RabbitMQ the broker redelivers
 * a dead consumer's messages itself; what a pod that is gone leaves is only what the broker never confirmed, and the
 * outbox ({@code classifier.jobs.outbox}) takes exactly those over.
 */
@ApplicationScoped
public class JobLeases {

    private static final int PAGE = 1_000;

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

    private final Pool pool;
    private final ProviderPool providers;
    private final JobRelay relay;
    private final JobsConfig config;
    private final Database database;
    private final String podId;
    private volatile boolean registered;
    private volatile boolean stopping;
    /** Held by a renewal and by the deregistration, so they never overlap. */
    private final java.util.concurrent.locks.ReentrantLock lease = new java.util.concurrent.locks.ReentrantLock();
    private final HandBack handBack;

    public JobLeases(Pool pool, JobRelay relay, JobsConfig config, Database database, ProviderPool providers,
            PodIdentity pod, HandBack handBack) {
        this.handBack = handBack;
        this.pool = pool;
        this.providers = providers;
        this.relay = relay;
        this.config = config;
        this.database = database;
        this.podId = pod.id();
    }

    /**
     * Registers the pod, takes over what dead pods (or a killed earlier run of this one) left, and starts the relay.
     */
    void started(@ObservesAsync Database.Ready ready) throws Throwable {
        lease.lock(); // a pod stopped while its schema was migrating must not register after it deregistered
        try {
            if (stopping) {
                Log.debugf("Pod %s stopped before its database was ready: not registered", podId);
                return;
            }
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                    "INSERT INTO pod (id, started_at, heartbeat_at) VALUES ($1, now(), now())").execute(Tuple.of(podId)));
            registered = true;
        } finally {
            lease.unlock();
        }
        Log.infof("Pod %s registered (leases expire after %s without a heartbeat)", podId, config.leaseTtl());
        countPods();
        takeOver();
        relay.start();
    }

    /** Renews this pod's lease on its items, and takes over the items of pods whose lease has expired. */
    @Scheduled(every = "${classifier.jobs.lease-renew:5s}", delayed = "${classifier.jobs.lease-renew:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() throws Throwable {
        lease.lock(); // never beside the deregistration: a renewal that ran after it would write the row back
        try {
            if (registered && !stopping && database.ready()) {
                renewAndTakeOver();
            }
        } finally {
            lease.unlock();
        }
    }

    private void renewAndTakeOver() throws Throwable {
        try {
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("""
                    INSERT INTO pod (id, started_at, heartbeat_at) VALUES ($1, now(), now())
                    ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()""").execute(Tuple.of(podId)));
            countPods();
            takeOver();
        } catch (RuntimeException e) {
            Log.warnf("Lease renewal of pod %s skipped: %s", podId, e.toString());
        }
    }

    /** The pods alive now share the provider keys' limits. */
    private void countPods() throws Throwable {
        Row row = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                "SELECT count(*) AS pods FROM pod WHERE heartbeat_at > now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) config.leaseTtl().toMillis() / 1000)).map(rows -> rows.iterator().next()));
        providers.sharedBy(row.getLong("pods").intValue());
    }

    /** Takes a page at a time, and hands each job it took items of to the relay. */
    private void takeOver() throws Throwable {
        int taken;
        do {
            Map<UUID, Integer> byJob = new LinkedHashMap<>();
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(TAKE_OVER)
                    .execute(Tuple.of(podId, (double) config.leaseTtl().toMillis() / 1000, PAGE, config.outbox()))
                    .invoke(result -> result.forEach(r -> byJob.merge(r.getUUID("job_id"), 1, Integer::sum))));
            taken = byJob.values().stream().mapToInt(Integer::intValue).sum();
            byJob.forEach((jobId, count) -> {
                Log.infof("Job %s: %d item(s) of a pod that is gone taken over by pod %s", jobId, count, podId);
                relay.wake(jobId);
            });
        } while (taken == PAGE);
    }

    /**
     * Gives up this pod's items at once on a clean stop, so a live pod (or this one restarted) takes them over: the
     * items it gave back ({@link HandBack}) lose their owner, and its row in {@code pod} goes, so its own items are
     * no longer held by a live pod. Runs after the result writer has flushed (a later priority) and before the
     * database pool closes, which only happens once every {@code ShutdownEvent} observer has returned.
     */
    void stopped(@Observes @Priority(4000) ShutdownEvent event) {
        lease.lock();
        try {
            stopping = true;
            if (registered) {
                deregister();
            }
        } finally {
            lease.unlock();
        }
    }

    private void deregister() {
        try {
            List<ItemWork> given = handBack.given();
            pool.withTransaction(connection -> connection.preparedQuery(RELEASE)
                    .execute(Tuple.of(given.stream().map(ItemWork::jobId).toArray(UUID[]::new),
                            given.stream().map(ItemWork::index).toArray(Integer[]::new)))
                    .chain(() -> connection.preparedQuery("DELETE FROM pod WHERE id = $1").execute(Tuple.of(podId))))
                    .await().atMost(java.time.Duration.ofSeconds(5));
            Log.infof("Pod %s deregistered; %d job item(s) it held left queued for other pods", podId, given.size());
        } catch (RuntimeException e) {
            Log.warnf("Pod %s not deregistered (%s): its lease expires after %s instead", podId, e.toString(),
                    config.leaseTtl());
        }
    }
}
