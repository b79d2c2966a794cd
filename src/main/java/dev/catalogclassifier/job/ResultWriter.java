package dev.catalogclassifier.job;

import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.persistence.LockModeType;

import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.database.WriteBehind;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Stores item results in batches: whatever has piled up while the previous transaction ran goes into the
 * next one, so 100,000 items never mean 100,000 transactions, and a quiet job still sees each result at once.
 * <p>
 * In one transaction per batch, each job's row is locked, its items are loaded, and every item not yet
 * stored gets its result and the job's next event id. A result for an item that already holds one (a
 * redelivered message) is dropped. After commit, PostgreSQL notifies every pod's {@link JobEvents}.
 */
@ApplicationScoped
public class ResultWriter {

    private static final TypeLiteral<Map<Pending, Boolean>> OUTCOME = new TypeLiteral<>() {
    };
    /** Only database failures are tried again; a stop (interrupt) or an error is not. */
    private static final Guard WRITES = Guard.create().withDescription("job-result-writes")
            .withRetry().maxRetries(4).delay(400, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
            .retryOn(RuntimeException.class)
            .beforeRetry(e -> Log.warnf("Storing job results failed, retrying: %s", e.toString()))
            .withExponentialBackoff().factor(2).maxDelay(10, ChronoUnit.SECONDS).done()
            .done().build();

    private final JobsConfig config;
    private final JobEvents events;
    private final ClassifierMetrics metrics;
    private WriteBehind<Pending> writer;

    /**
     * One result waiting to be written; {@code stored} says whether it was new. A result that must not be stored
     * ({@code costOnly}: its item was stopped, not answered) still adds what its calls cost.
     */
    record Pending(UUID jobId, ItemResult result, boolean costOnly, CompletableFuture<Boolean> stored) {
    }

    public ResultWriter(JobsConfig config, JobEvents events, ClassifierMetrics metrics) {
        this.config = config;
        this.events = events;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent start) {
        writer = new WriteBehind<>("job-result-writer", config.writeBatchSize(), this::writeWithRetries,
                abandoned -> abandoned.forEach(p -> p.stored.completeExceptionally(
                        new IllegalStateException("the service stopped before this result was stored"))));
    }

    void stop(@Observes ShutdownEvent stop) {
        writer.stop();
    }

    /** Completes once the result is committed: true if stored, false if the item already had one. */
    public CompletableFuture<Boolean> store(UUID jobId, ItemResult result) {
        return add(jobId, result, false);
    }

    /**
     * Adds what a stopped item's calls cost to its job, and stores nothing for the item: a cancelled job's cancel
     * has marked it already, and an item stopped by a shutdown stays queued for another run.
     */
    public CompletableFuture<Boolean> spent(UUID jobId, ItemResult result) {
        return add(jobId, result, true);
    }

    private CompletableFuture<Boolean> add(UUID jobId, ItemResult result, boolean costOnly) {
        CompletableFuture<Boolean> stored = new CompletableFuture<>();
        writer.add(new Pending(jobId, result, costOnly, stored));
        return stored;
    }

    /**
     * Writes a batch, trying again while the database recovers (up to five times, 0.4 s to 3.2 s apart); a batch
     * that cannot be stored fails its items' futures, and their messages are delivered again.
     */
    private void writeWithRetries(List<Pending> batch) throws InterruptedException {
        Map<UUID, List<Pending>> byJob = byJob(batch);
        try {
            Map<Pending, Boolean> outcome = WRITES.call(() -> inTransaction(byJob), OUTCOME);
            batch.forEach(p -> p.stored.complete(outcome.getOrDefault(p, false)));
            byJob.keySet().forEach(events::published);
        } catch (InterruptedException e) {
            throw e; // the service is stopping: WriteBehind fails this batch's futures
        } catch (RuntimeException e) {
            Log.errorf(e, "Could not store %d job results; their items stay queued and run again", batch.size());
            batch.forEach(p -> p.stored.completeExceptionally(e));
        } catch (Throwable e) {
            batch.forEach(p -> p.stored.completeExceptionally(e));
        }
    }

    private Map<Pending, Boolean> inTransaction(Map<UUID, List<Pending>> byJob) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> write(byJob)));
        } catch (Exception e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // an Error: not a database failure, and not retried
        }
    }

    private static Map<UUID, List<Pending>> byJob(List<Pending> batch) {
        Map<UUID, List<Pending>> byJob = new LinkedHashMap<>();
        batch.forEach(p -> byJob.computeIfAbsent(p.jobId, k -> new ArrayList<>()).add(p));
        return byJob;
    }

    private Uni<Map<Pending, Boolean>> write(Map<UUID, List<Pending>> byJob) {
        Map<Pending, Boolean> outcome = new java.util.HashMap<>();
        return Multi.createFrom().iterable(byJob.entrySet())
                .onItem().transformToUniAndConcatenate(e -> writeJob(e.getKey(), e.getValue(), outcome))
                .collect().last()
                .chain(() -> JobEvents.notifyAll(byJob.keySet()))
                .replaceWith(outcome);
    }

    private Uni<Void> writeJob(UUID jobId, List<Pending> results, Map<Pending, Boolean> outcome) {
        List<Integer> indexes = results.stream().map(p -> p.result.index()).toList();
        return Job.<Job>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> job == null ? Uni.createFrom().voidItem()
                        : JobItem.<JobItem>list("jobId = ?1 and idx in ?2", jobId, indexes)
                                .invoke(rows -> apply(job, rows, results, outcome)).replaceWithVoid());
    }

    private void apply(Job job, List<JobItem> rows, List<Pending> results, Map<Pending, Boolean> outcome) {
        Map<Integer, JobItem> byIndex = new java.util.HashMap<>();
        rows.forEach(row -> byIndex.put(row.idx, row));
        for (Pending pending : results) {
            JobItem row = byIndex.get(pending.result.index());
            boolean fresh = row != null && !row.stored() && !pending.costOnly;
            outcome.put(pending, fresh);
            if (fresh) {
                JobResults.store(row, pending.result, ++job.eventSeq);
                JobResults.count(job, pending.result);
            } else if (row != null) {
                // the item was cancelled, or answered already by a copy of its message: its calls were paid for
                JobResults.spent(job, pending.result);
            }
        }
        if (job.status == JobStatus.QUEUED) {
            job.status = JobStatus.RUNNING;
            job.startedAt = Instant.now();
        }
        if (job.status == JobStatus.RUNNING && job.done() >= job.total) {
            // a job none of whose items could be classified has failed, whatever it cost
            job.status = job.succeeded == 0 && job.failed > 0 ? JobStatus.FAILED : JobStatus.COMPLETED;
            job.finishedAt = Instant.now();
            metrics.requestCost("job", job.costUsd);
        }
    }
}
