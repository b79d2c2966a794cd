package dev.catalogclassifier.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.llm.ProviderPool;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Which pod owns which queued job item. Each pod has an identity ({@link #podId()}, new at every start) and a row
 * in {@code pod} whose heartbeat it renews every {@code classifier.jobs.lease-renew}; an item submitted or retried
 * on a pod is owned by it, since its messages sit in that pod's queue. With the in-process channel a pod that dies
 * takes its queue with it: once its heartbeat is older than {@code classifier.jobs.lease-ttl}, any live pod takes
 * its items over ({@code SELECT … FOR UPDATE SKIP LOCKED}, so two pods never take the same item) and queues them
 * again. Live pods' items are never taken, however many pods start. With RabbitMQ the broker redelivers a dead
 * consumer's messages itself; what a pod that is gone leaves is only what the broker never confirmed, and the
 * outbox ({@code classifier.jobs.outbox}) takes exactly those over: items commit unpublished, and are marked
 * published once confirmed.
 */
@ApplicationScoped
public class JobLeases {

    private static final int PAGE = 1_000;

    /**
     * Queued items of unfinished realtime work whose owner is gone: none, or a pod whose heartbeat has expired.
     * A batch-api job's items are the Batch API runner's while a batch is open or the job is not yet planned.
     */
    private static final String TAKE_OVER = """
            UPDATE job_item i SET owner = $1
            WHERE (i.job_id, i.idx) IN (
                SELECT c.job_id, c.idx FROM job_item c JOIN job j ON j.id = c.job_id
                WHERE c.status = 'queued' AND j.status IN ('QUEUED', 'RUNNING')
                  AND NOT (j.execution = 'batch-api' AND j.status = 'QUEUED')
                  AND ($4 = false OR NOT c.published)
                  AND (c.owner IS NULL OR NOT EXISTS (SELECT 1 FROM pod p WHERE p.id = c.owner
                                                      AND p.heartbeat_at > now() - make_interval(secs => $2)))
                  AND NOT EXISTS (SELECT 1 FROM provider_batch b WHERE b.job_id = c.job_id
                                  AND b.status NOT IN ('done', 'cancelled')
                                  AND c.idx >= b.first_index AND c.idx < b.first_index + b.item_count)
                ORDER BY c.job_id, c.idx LIMIT $3
                FOR UPDATE OF c SKIP LOCKED)
            RETURNING i.job_id, i.idx""";

    private final Pool pool;
    private final ProviderPool providers;
    private final JobDispatcher dispatcher;
    private final JobsConfig config;
    private final Database database;
    private final String podId;
    private volatile boolean registered;

    public JobLeases(Pool pool, JobDispatcher dispatcher, JobsConfig config, Database database, ProviderPool providers) {
        this.pool = pool;
        this.providers = providers;
        this.dispatcher = dispatcher;
        this.config = config;
        this.database = database;
        String name = config.podName().orElseGet(() -> System.getenv().getOrDefault("HOSTNAME", "pod"));
        // new at every start: a pod restarted under the same name has an empty queue, and must not look alive
        this.podId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This pod's identity, as its items' {@code owner}. */
    public String podId() {
        return podId;
    }

    /** Registers the pod, then takes over what dead pods (or a killed earlier run of this one) left. */
    void started(@ObservesAsync Database.Ready ready) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                "INSERT INTO pod (id, started_at, heartbeat_at) VALUES ($1, now(), now())").execute(Tuple.of(podId)));
        registered = true;
        Log.infof("Pod %s registered (leases expire after %s without a heartbeat)", podId, config.leaseTtl());
        countPods();
        takeOver();
    }

    /** Renews this pod's lease on its items, and takes over the items of pods whose lease has expired. */
    @Scheduled(every = "${classifier.jobs.lease-renew:5s}", delayed = "${classifier.jobs.lease-renew:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() throws Throwable {
        if (!registered || !database.ready()) {
            return;
        }
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

    /**
     * The pods alive now share the provider keys' limits. Rows of pods killed a day ago go: their items were taken
     * over long since, and the table stays the size of the deployment.
     */
    private void countPods() throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> pool.query("DELETE FROM pod WHERE heartbeat_at < now() - interval '1 day'")
                .execute());
        Row row = VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(
                "SELECT count(*) AS pods FROM pod WHERE heartbeat_at > now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) config.leaseTtl().toMillis() / 1000)).map(rows -> rows.iterator().next()));
        providers.sharedBy(row.getLong("pods").intValue());
    }

    private void takeOver() throws Throwable {
        int taken;
        do {
            List<Row> rows = new ArrayList<>();
            VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery(TAKE_OVER)
                    .execute(Tuple.of(podId, (double) config.leaseTtl().toMillis() / 1000, PAGE, config.outbox()))
                    .invoke(result -> result.forEach(rows::add)));
            taken = rows.size();
            Map<UUID, List<Integer>> byJob = new LinkedHashMap<>();
            rows.forEach(r -> byJob.computeIfAbsent(r.getUUID("job_id"), k -> new ArrayList<>()).add(r.getInteger("idx")));
            for (Map.Entry<UUID, List<Integer>> job : byJob.entrySet()) {
                List<JobItem> items = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> JobItem
                        .<JobItem>find("jobId = ?1 and idx in ?2", Sort.by("idx"), job.getKey(), job.getValue()).list()));
                List<Integer> sent = dispatcher.dispatch(job.getKey(), items).join();
                if (config.outbox()) {
                    VertxContextSupport.subscribeAndAwait(() -> markPublished(job.getKey(), sent));
                }
                Log.infof("Job %s: %d item(s) of a pod that is gone taken over by pod %s", job.getKey(), items.size(), podId);
            }
        } while (taken == PAGE);
    }

    /** With the outbox: these items' messages are with the broker. */
    Uni<Void> markPublished(UUID jobId, List<Integer> indexes) {
        Uni<Void> marked = Uni.createFrom().voidItem();
        for (int from = 0; from < indexes.size(); from += 10_000) {
            Integer[] chunk = indexes.subList(from, Math.min(indexes.size(), from + 10_000)).toArray(Integer[]::new);
            marked = marked.chain(() -> pool.preparedQuery(
                    "UPDATE job_item SET published = true WHERE job_id = $1 AND idx = ANY($2)")
                    .execute(Tuple.of(jobId, chunk)).replaceWithVoid());
        }
        return marked;
    }

    /** Gives up this pod's items at once on a clean stop, so a live pod (or this one restarted) takes them over. */
    @PreDestroy
    void stopped() {
        if (!registered) {
            return;
        }
        try {
            pool.preparedQuery("DELETE FROM pod WHERE id = $1").execute(Tuple.of(podId)).await()
                    .atMost(java.time.Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            Log.debugf("Pod %s not deregistered (%s): its lease expires instead", podId, e.toString());
        }
    }
}
