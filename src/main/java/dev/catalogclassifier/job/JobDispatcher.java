package dev.catalogclassifier.job;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.catalogclassifier.tracing.Traces;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Puts job items on the {@code job-items} channel, in-process by default or through RabbitMQ, and remembers
 * which jobs were cancelled (here or, through {@link JobEvents}, on another pod) so workers skip their items.
 */
@ApplicationScoped
public class JobDispatcher {

    private static final OutgoingRabbitMQMetadata PERSISTENT = OutgoingRabbitMQMetadata.builder().withDeliveryMode(2).build();

    /** Unbounded here, since {@link JobRelay} bounds what is out: at most its window. */
    private final Emitter<ItemWork> emitter;

    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    /** How long a broker's confirm may take; null in-process. */
    private final java.time.Duration confirmTimeout;

    public JobDispatcher(@Channel("job-items-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<ItemWork> emitter,
            JobEvents events, JobsConfig config) {
        this.emitter = emitter;
        // in-process a message is settled when its item is done, which may rightly take long; only a broker confirms
        this.confirmTimeout = config.outbox() ? config.publishConfirmTimeout() : null;
        events.onCancel(cancelled::add);
    }

    /**
     * Sends one message per item; the stage completes when every send has, with the indexes of the items the channel
     * took (with RabbitMQ: confirmed by the broker). {@code done} runs once per message when it is settled: acked or
     * refused. Only {@link JobRelay} sends.
     */
    CompletableFuture<List<Integer>> dispatch(UUID jobId, List<Integer> indexes, String traceParent, Runnable done) {
        Metadata metadata = Metadata.of(PERSISTENT, TracingMetadata.withCurrent(Traces.fromTraceParent(traceParent)));
        List<CompletableFuture<Integer>> sends = indexes.stream().map(index -> send(new ItemWork(jobId, index), metadata)
                .whenComplete((ok, e) -> done.run())
                .thenApply(ok -> index)
                .exceptionally(e -> {
                    Log.warnf("Item %d of job %s was not delivered (%s); it stays queued", index, jobId, e.toString());
                    return null;
                })).toList();
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                .thenApply(all -> sends.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList());
    }

    /**
     * One message, marked persistent: a durable queue keeps only persistent messages over a broker restart, and an
     * item whose message the broker confirmed is not published again (the outbox marked it). The in-process
     * connector ignores the mark. The tracing metadata carries the submit's context: the RabbitMQ connector starts
     * its send span under it and puts that span's context in the message's headers; in-process it reaches the
     * worker as it is. Completes when the message is acknowledged: by the broker's confirm with
     * RabbitMQ, by the worker in-process. With the broker, a confirm that has not come within
     * {@link JobsConfig#publishConfirmTimeout()} fails the send: a message lost while the broker restarted is settled
     * neither way, and waiting for it would hold the relay and its window for good.
     */
    private CompletableFuture<Void> send(ItemWork work, Metadata metadata) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(work, metadata, () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            acked.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        return confirmTimeout == null ? acked : acked.orTimeout(confirmTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void cancelled(UUID jobId) {
        cancelled.add(jobId);
    }

    boolean isCancelled(UUID jobId) {
        return cancelled.contains(jobId);
    }

}
