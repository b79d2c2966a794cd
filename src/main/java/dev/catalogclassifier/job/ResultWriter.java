package dev.catalogclassifier.job;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;

import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.database.WriteBehind;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.Guard;

/**
 * Stores item results in batches: whatever has piled up while the previous transaction ran goes into the
 * next one ({@link JobRepository#store}), so 100,000 items never mean 100,000 transactions, and a quiet job still
 * sees each result at once. A result for an item that already holds one (a redelivered message) is dropped.
 */
@ApplicationScoped
public class ResultWriter {

    private static final TypeLiteral<JobRepository.Stored> STORED = new TypeLiteral<>() {
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
    private final JobRepository repository;
    private WriteBehind<Pending> writer;

    /** One result waiting to be written; {@code stored} says whether it was new. */
    record Pending(JobRepository.Write write, CompletableFuture<Boolean> stored) {
    }

    public ResultWriter(JobsConfig config, JobEvents events, ClassifierMetrics metrics, JobRepository repository) {
        this.repository = repository;
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
        writer.add(new Pending(new JobRepository.Write(jobId, result, costOnly), stored));
        return stored;
    }

    /**
     * Writes a batch, trying again while the database recovers (up to five times, 0.4 s to 3.2 s apart); a batch
     * that cannot be stored fails its items' futures, and their messages are delivered again.
     */
    private void writeWithRetries(List<Pending> batch) throws InterruptedException {
        List<JobRepository.Write> writes = batch.stream().map(Pending::write).toList();
        try {
            JobRepository.Stored stored = WRITES.call(() -> repository.store(writes), STORED);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).stored.complete(stored.fresh().get(i));
            }
            stored.finished().forEach(job -> metrics.requestCost("job", job.costUsd));
            writes.stream().map(JobRepository.Write::jobId).distinct().forEach(events::published);
        } catch (InterruptedException e) {
            throw e; // the service is stopping: WriteBehind fails this batch's futures
        } catch (RuntimeException e) {
            Log.errorf(e, "Could not store %d job results; their items stay queued and run again", batch.size());
            batch.forEach(p -> p.stored.completeExceptionally(e));
        } catch (Throwable e) {
            batch.forEach(p -> p.stored.completeExceptionally(e));
        }
    }
}
