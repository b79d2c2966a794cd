package dev.catalogclassifier.llm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Bulkhead;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;

/**
 * Bounds how many items talk to the provider at once, and queues the rest instead of rejecting them.
 * <p>
 * It is a bean of its own, outside {@link ModelClient}, for two reasons. SmallRye Fault Tolerance nests
 * Timeout around Bulkhead within one bean, so a shared bean would count queueing time against each attempt's
 * timeout. And a synchronous {@code @Bulkhead} rejects when full; the asynchronous form queues, so the method
 * returns a stage and starts the item's work on a fresh virtual thread when a permit is free.
 * Size it with {@code CLASSIFIER_MAX_CONCURRENT_CALLS}.
 */
@ApplicationScoped
public class ModelCallGate {

    private final ExecutorService virtualThreads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("classify-", 0).factory());

    @AsynchronousNonBlocking
    @Bulkhead(value = 64, waitingTaskQueue = 100_000)
    public <T> CompletionStage<T> submit(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, virtualThreads);
    }

    @PreDestroy
    void close() {
        virtualThreads.shutdown();
    }
}
