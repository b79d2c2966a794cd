package dev.catalogclassifier.job;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Durable jobs: limits, paging and retention. */
@ConfigMapping(prefix = "classifier.jobs")
public interface JobsConfig {

    /** Items one job may hold. */
    @WithDefault("100000")
    int maxItems();

    /** Results stored in one transaction at most; whatever has piled up while the last write ran goes next. */
    @WithDefault("500")
    int writeBatchSize();

    /** Rows per page of {@code GET /jobs/{id}/results} when the caller does not say. */
    @WithDefault("100")
    int defaultPageSize();

    /** Largest page a caller may ask for. */
    @WithDefault("1000")
    int maxPageSize();

    /** How long a finished job and its results are kept before the cleanup removes them. */
    @WithDefault("P7D")
    Duration retention();

    /**
     * How long an SSE subscriber waits for a notification before it looks at the database anyway. Notifications
     * (LISTEN/NOTIFY) normally wake it at once; this only bounds the delay when one is lost.
     */
    @WithDefault("2s")
    Duration eventsPoll();

    /** How often finished jobs past their retention are removed. */
    @WithDefault("10m")
    Duration cleanupEvery();

    /** How often the job gauges ({@code classifier_job_items_queued}, {@code classifier_jobs}) are read. */
    @WithDefault("10s")
    Duration metricsEvery();

    /**
     * Whether job items travel through a broker with a transactional outbox (on in the rabbitmq profile): items
     * commit unpublished and are marked published once the broker confirms their messages; a pod that is gone
     * leaves only its unpublished items to take over, since the broker redelivers what it had. Off (the in-process
     * channel), a pod that is gone took its queue with it, and all its queued items are taken over ({@code JobLeases}).
     */
    @WithDefault("false")
    boolean outbox();

    /**
     * How long a pod may go without renewing its heartbeat before its queued items are another pod's to take
     * ({@code CLASSIFIER_JOBS_LEASE_TTL}). Long enough for a busy pod's garbage collection and a slow database;
     * it is also how long a killed pod's items wait.
     */
    @WithDefault("30s")
    java.time.Duration leaseTtl();

    /**
     * The RabbitMQ exchange and queue that carry job items ({@code CLASSIFIER_JOBS_QUEUE}): every pod of one
     * deployment uses the same; two deployments on one broker (or two test runs on one machine) use their own.
     */
    @WithDefault("catalog-classifier.job-items")
    String queue();

    /** How often a pod renews its heartbeat and looks for items of pods that are gone. */
    @WithDefault("5s")
    java.time.Duration leaseRenew();

    /** The pod's name in its identity (a random suffix is added at every start); the host name when not set. */
    java.util.Optional<String> podName();

    /**
     * Job items this pod has out on the channel at most ({@code CLASSIFIER_JOBS_RELAY_WINDOW}): in-process, queued in
     * memory or being worked; with RabbitMQ, sent and not yet confirmed. The relay publishes more as they finish, so a
     * pod's memory does not grow with its jobs. Keep it above the workers ({@code CLASSIFIER_JOBS_WORKERS}), so every
     * worker finds an item waiting.
     */
    @WithDefault("512")
    int relayWindow();

    /**
     * How long a published item's message may wait for the broker's confirm. A message lost in a broker restart is
     * never confirmed or refused; past this the item counts as unpublished and goes out again in the relay's next
     * round (a duplicate, if the broker did keep it, costs at most one repeated model call: results are stored once).
     */
    @WithDefault("30s")
    java.time.Duration publishConfirmTimeout();

    /** Items the relay publishes for one job before it turns to the next one with items to publish. */
    @WithDefault("128")
    int relayPage();

    /**
     * How long the first item of a pack waits for the job's next items before the pack goes with what it has
     * (jobs with {@code pack} above 1). Items arrive from the queue in bursts, so packs fill long before this in
     * a busy job; it bounds the wait of a job's last few items.
     */
    @WithDefault("200ms")
    Duration packWindow();
}
