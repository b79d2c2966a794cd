package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.PackClassifier;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.ModelCallGate;

/**
 * Gathers a job's text items, which arrive one message each, into packs of the job's {@code pack} size for
 * {@link PackClassifier}. The first item of a pack waits until the pack is full or {@code pack-window} has passed,
 * then sends it through the model-call gate; every item's own thread waits for its result and stores it, so a
 * message is still acknowledged only once its own result is stored, and a pod killed mid-pack leaves every item
 * of the pack to be delivered again.
 */
@ApplicationScoped
public class JobPacks {

    private final PackClassifier packs;
    private final ModelCallGate gate;
    private final Duration window;
    /** The pack each job is filling; guarded by {@code this}. */
    private final Map<UUID, Pack> filling = new HashMap<>();

    public JobPacks(PackClassifier packs, ModelCallGate gate, JobsConfig config) {
        this.packs = packs;
        this.gate = gate;
        this.window = config.packWindow();
    }

    /** What a pack's items share. */
    record Call(Taxonomy taxonomy, String model, int size, BooleanSupplier cancelled, Budget budget) {
    }

    /** The item's result, classified in a pack with others of its job; blocks, so call it on a virtual thread. */
    public ItemResult classify(UUID jobId, ItemWork work, Call call) {
        Pack pack;
        int slot;
        boolean first;
        synchronized (this) {
            pack = filling.get(jobId);
            first = pack == null;
            if (first) {
                pack = new Pack(call);
                filling.put(jobId, pack);
            }
            slot = pack.add(work);
            if (pack.full()) {
                filling.remove(jobId, pack);
            }
        }
        if (first) {
            send(jobId, pack);
        }
        return pack.results.join().get(slot);
    }

    private void send(UUID jobId, Pack pack) {
        pack.awaitFull(window);
        synchronized (this) {
            filling.remove(jobId, pack); // closed: later items start a pack of their own
        }
        List<Integer> indexes = pack.works.stream().map(ItemWork::index).toList();
        Call call = pack.call;
        try {
            gate.submit(() -> packs.classify(indexes, pack.works.stream().map(ItemWork::item).toList(), call.taxonomy(),
                    call.model(), call.cancelled(), call.budget())).whenComplete((results, error) -> {
                        if (error != null) {
                            pack.results.completeExceptionally(error);
                        } else {
                            pack.results.complete(results);
                        }
                    });
        } catch (RuntimeException e) {
            pack.results.completeExceptionally(e); // every item's message is then delivered again, as when alone
        }
    }

    /** Items of one job on their way into one call; {@code works} is guarded by the enclosing {@link JobPacks}. */
    private static final class Pack {
        final Call call;
        final List<ItemWork> works = new ArrayList<>();
        final CountDownLatch full = new CountDownLatch(1);
        final CompletableFuture<List<ItemResult>> results = new CompletableFuture<>();

        Pack(Call call) {
            this.call = call;
        }

        int add(ItemWork work) {
            works.add(work);
            if (full()) {
                full.countDown();
            }
            return works.size() - 1;
        }

        boolean full() {
            return works.size() >= call.size();
        }

        void awaitFull(Duration window) {
            try {
                full.await(window.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // send what there is
            }
        }
    }
}
