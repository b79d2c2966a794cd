package dev.catalogclassifier.job;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;


import io.quarkus.logging.Log;

/**
 * Puts job items on the {@code job-items} channel, in-process by default or through RabbitMQ, and remembers
 * which jobs were cancelled (here or, through {@link JobEvents}, on another pod) so workers skip their items.
 */
@ApplicationScoped
public class JobDispatcher {


    private final Emitter<ItemWork> emitter;
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();

    public JobDispatcher(@Channel("job-items-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<ItemWork> emitter,
            JobEvents events) {
        this.emitter = emitter;
        events.onCancel(cancelled::add);
    }

    /**
     * Sends the items; the stage completes when every send has (see {@code classifier.jobs.await-publish}), with the
     * indexes of the items the channel took (with RabbitMQ: confirmed by the broker).
     */
    CompletableFuture<List<Integer>> dispatch(UUID jobId, List<JobItem> rows) {
        List<CompletableFuture<Integer>> sends = rows.stream().map(row -> emitter.send(new ItemWork(jobId, row.idx))
                .thenApply(done -> row.idx)
                .exceptionally(e -> {
                    Log.warnf("Item %d of job %s was not delivered (%s); it stays queued", row.idx, jobId, e.toString());
                    return null;
                }).toCompletableFuture()).toList();
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                .thenApply(done -> sends.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList());
    }

    void cancelled(UUID jobId) {
        cancelled.add(jobId);
    }

    boolean isCancelled(UUID jobId) {
        return cancelled.contains(jobId);
    }

}
