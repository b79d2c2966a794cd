package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;


import dev.catalogclassifier.classify.ItemPipeline;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.Plan;
import dev.catalogclassifier.classify.Work;
import dev.catalogclassifier.local.LocalClassifier;
import io.opentelemetry.context.Context;

/**
 * Gathers a job's items, which arrive one message each, into runs of the {@link ItemPipeline}: one read of the
 * items' text, one cache lookup, one local-classifier chunk and whole packs per run, as a request gets. An item that
 * is no longer queued when its run starts (a message delivered again after its result was stored) is not run. The first item of a run waits until the
 * run is full or {@code pack-window} has passed, then starts it; every item's own thread waits for its result and
 * stores it, so a message is still acknowledged only once its own result is stored, and a pod killed mid-run
 * leaves every item of the run to be delivered again.
 */
@ApplicationScoped
public class JobBatches {

    private final ItemPipeline pipeline;
    private final JobRepository repository;
    private final Duration window;
    /** The run each job is filling; guarded by {@code this}. */
    private final Map<UUID, Batch> filling = new HashMap<>();

    public JobBatches(ItemPipeline pipeline, JobsConfig config, JobRepository repository) {
        this.pipeline = pipeline;
        this.repository = repository;
        this.window = config.packWindow();
    }

    /**
     * The item's result, classified in a run with others of its job; null when the item is no longer queued (its
     * result is stored already, or its job was cancelled). Blocks, so call it on a virtual thread.
     */
    public ItemResult classify(UUID jobId, Plan plan, Work work, int index, Context trace) {
        Batch batch;
        boolean first;
        CompletableFuture<ItemResult> result;
        synchronized (this) {
            batch = filling.get(jobId);
            first = batch == null;
            if (first) {
                batch = new Batch(plan, work, size(plan));
                filling.put(jobId, batch);
            }
            result = batch.add(index, trace);
            if (batch.full()) {
                filling.remove(jobId, batch);
            }
        }
        if (first) {
            start(jobId, batch);
        }
        return result.join();
    }

    /** A whole number of packs, and at least a local-classifier chunk. */
    private static int size(Plan plan) {
        int pack = Math.max(1, plan.pack());
        return pack * ((LocalClassifier.CHUNK + pack - 1) / pack);
    }

    private void start(UUID jobId, Batch batch) {
        batch.awaitFull(window);
        List<Integer> indexes;
        synchronized (this) {
            filling.remove(jobId, batch); // closed: later items start a run of their own
            indexes = List.copyOf(batch.indexes);
        }
        try {
            List<ItemPipeline.Entry> entries = queued(jobId, indexes, batch.traces);
            Set<Integer> found = new HashSet<>();
            entries.forEach(e -> found.add(e.index()));
            indexes.stream().filter(i -> !found.contains(i)).forEach(i -> batch.results.get(i).complete(null));
            pipeline.run(batch.plan, batch.work, entries, r -> batch.results.get(r.index()).complete(r));
        } catch (Throwable e) {
            batch.results.values().forEach(f -> f.completeExceptionally(e)); // delivered again, as when alone
        }
    }

    /** The run's items that are still queued, each with the trace of its message. */
    private List<ItemPipeline.Entry> queued(UUID jobId, List<Integer> indexes, Map<Integer, Context> traces)
            throws InterruptedException {
        return repository.queued(jobId, indexes).stream().map(q -> new ItemPipeline.Entry(q.index(), q.item(),
                traces.getOrDefault(q.index(), Context.root()))).toList();
    }

    /** Items of one job on their way into one run; guarded by the enclosing {@link JobBatches}. */
    private static final class Batch {
        final Plan plan;
        final Work work;
        final int size;
        final List<Integer> indexes = new ArrayList<>();
        /** By item index: a message delivered twice into one run shares the first one's result. */
        final Map<Integer, CompletableFuture<ItemResult>> results = new HashMap<>();
        /** By item index: the trace context of the item's message. */
        final Map<Integer, Context> traces = new HashMap<>();
        final CountDownLatch full = new CountDownLatch(1);

        Batch(Plan plan, Work work, int size) {
            this.plan = plan;
            this.work = work;
            this.size = size;
        }

        CompletableFuture<ItemResult> add(int index, Context trace) {
            CompletableFuture<ItemResult> known = results.get(index);
            if (known != null) {
                return known;
            }
            CompletableFuture<ItemResult> result = new CompletableFuture<>();
            results.put(index, result);
            traces.put(index, trace);
            indexes.add(index);
            if (full()) {
                full.countDown();
            }
            return result;
        }

        boolean full() {
            return indexes.size() >= size;
        }

        void awaitFull(Duration window) {
            try {
                full.await(window.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // start with what there is
            }
        }
    }
}
