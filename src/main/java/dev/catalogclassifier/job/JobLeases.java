package dev.catalogclassifier.job;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.llm.ProviderPool;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

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
    /** How long a stopping pod waits for the database to release its items. */
    private static final java.time.Duration RELEASE_WAIT = java.time.Duration.ofSeconds(5);

    private final LeaseRepository leases;
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

    public JobLeases(LeaseRepository leases, JobRelay relay, JobsConfig config, Database database, ProviderPool providers,
            PodIdentity pod, HandBack handBack) {
        this.handBack = handBack;
        this.leases = leases;
        this.providers = providers;
        this.relay = relay;
        this.config = config;
        this.database = database;
        this.podId = pod.id();
    }

    /**
     * Registers the pod, takes over what dead pods (or a killed earlier run of this one) left, and starts the relay.
     */
    void started(@ObservesAsync Database.Ready ready) throws InterruptedException {
        lease.lock(); // a pod stopped while its schema was migrating must not register after it deregistered
        try {
            if (stopping) {
                Log.debugf("Pod %s stopped before its database was ready: not registered", podId);
                return;
            }
            leases.register(podId);
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
    void renew() throws InterruptedException {
        lease.lock(); // never beside the deregistration: a renewal that ran after it would write the row back
        try {
            if (registered && !stopping && database.ready()) {
                renewAndTakeOver();
            }
        } finally {
            lease.unlock();
        }
    }

    private void renewAndTakeOver() throws InterruptedException {
        try {
            leases.heartbeat(podId);
            countPods();
            takeOver();
        } catch (RuntimeException e) {
            Log.warnf("Lease renewal of pod %s skipped: %s", podId, e.toString());
        }
    }

    /** The pods alive now share the provider keys' limits. */
    private void countPods() throws InterruptedException {
        providers.sharedBy(leases.livePods(config.leaseTtl()));
    }

    /** Takes a page at a time, and hands each job it took items of to the relay. */
    private void takeOver() throws InterruptedException {
        int taken;
        do {
            Map<UUID, Integer> byJob = leases.takeOver(podId, config.leaseTtl(), PAGE, config.outbox());
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
            leases.release(podId, given, RELEASE_WAIT);
            Log.infof("Pod %s deregistered; %d job item(s) it held left queued for other pods", podId, given.size());
        } catch (RuntimeException e) {
            Log.warnf("Pod %s not deregistered (%s): its lease expires after %s instead", podId, e.toString(),
                    config.leaseTtl());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Log.warnf("Pod %s not deregistered (interrupted): its lease expires after %s instead", podId,
                    config.leaseTtl());
        }
    }
}
