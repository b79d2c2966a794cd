package dev.catalogclassifier.classify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.cache.ResultCache;
import dev.catalogclassifier.image.PhotoPipeline;
import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.ModelCallGate;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.local.LocalConfig;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * Fans a batch out: every item runs on a virtual thread of its own, as soon as {@link ModelCallGate} has room,
 * and each result is emitted the moment it is ready, in completion order.
 * When the subscriber goes away (an SSE client disconnects), the batch is cancelled: items still queued
 * finish as {@code cancelled} without calling the model, and running ones stop before their next call.
 */
@ApplicationScoped
public class BatchClassifier {

    private final ItemClassifier items;
    private final PackClassifier packs;
    private final ModelCallGate gate;
    private final ClassifierMetrics metrics;
    private final ResultCache cache;
    private final LocalClassifier local;
    private final double cascadeThreshold;

    public BatchClassifier(ItemClassifier items, PackClassifier packs, ModelCallGate gate, ClassifierMetrics metrics,
            ResultCache cache, LocalClassifier local, LocalConfig localConfig) {
        this.items = items;
        this.packs = packs;
        this.gate = gate;
        this.metrics = metrics;
        this.cache = cache;
        this.local = local;
        this.cascadeThreshold = localConfig.cascadeThreshold();
    }

    /** Results in completion order; each is added to {@code tracker} before it is emitted. */
    public Multi<ItemResult> classify(ValidatedRequest request, BatchTracker tracker) {
        return Multi.createFrom().emitter(emitter -> new Run(request, tracker, emitter).start());
    }

    private final class Run {
        private final ValidatedRequest request;
        private final BatchTracker tracker;
        private final MultiEmitter<? super ItemResult> emitter;
        private final AtomicInteger remaining;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final Budget budget;
        /** Text items for the LLM found by {@link #start()}'s loop, sent in packs when it ends. */
        private final List<Integer> packable = new ArrayList<>();

        Run(ValidatedRequest request, BatchTracker tracker, MultiEmitter<? super ItemResult> emitter) {
            this.request = request;
            this.tracker = tracker;
            this.emitter = emitter;
            this.remaining = new AtomicInteger(request.items().size());
            this.budget = Budget.of(request.budgetUsd(), 0);
        }

        void start() {
            emitter.onTermination(() -> cancelled.set(true));
            List<Item> batch = request.items();
            String[] keys = new String[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                // only items the model may be asked about have a key: none when the request is local
                keys[i] = request.strategy() != Strategy.LOCAL
                        ? items.cacheKey(batch.get(i), request.taxonomy(), request.model(), request.mode()) : null;
            }
            Uni<Map<String, ResultCache.Hit>> stored = request.useCache()
                    ? cache.lookup(Arrays.stream(keys).filter(Objects::nonNull).toList()) : Uni.createFrom().item(Map.of());
            stored.subscribe().with(hits -> {
                List<Integer> local = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    if (start(i, batch.get(i), keys[i], keys[i] == null ? null : hits.get(keys[i]))) {
                        local.add(i);
                    }
                }
                sendPacks(packable);
                for (int from = 0; from < local.size(); from += LocalClassifier.CHUNK) {
                    locally(local.subList(from, Math.min(local.size(), from + LocalClassifier.CHUNK)), keys);
                }
            });
        }

        /** Settles what needs no classifier; true when the item goes to the local classifier first. */
        private boolean start(int index, Item item, String key, ResultCache.Hit hit) {
            Optional<ItemResult> rejected = items.precheck(index, item, request.mode());
            if (rejected.isPresent()) {
                finish(rejected.get(), "image");
            } else if (hit != null) {
                finish(ItemResult.fromCache(index, item.id(), hit.category(), hit.confidence(), hit.model()), mode(item));
            } else if (request.strategy() == Strategy.LLM && packs(item)) {
                packable.add(index);
            } else if (request.strategy() == Strategy.LLM
                    || (request.strategy() == Strategy.CASCADE && ItemClassifier.usesPhoto(item, request.mode()))) {
                submit(index, item, key); // the local classifier reads text, not photos
            } else if (!item.hasText()) {
                finish(ItemResult.localReadsText(index, item.id()), "image");
            } else {
                return true;
            }
            return false;
        }

        /**
         * The local classifier answers a chunk of items in one batched call; in a cascade, an answer below the
         * threshold goes on to the LLM.
         */
        private void locally(List<Integer> chunk, String[] keys) {
            long start = System.nanoTime();
            List<Item> batch = request.items();
            Taxonomy taxonomy = request.taxonomy();
            chunk.forEach(i -> metrics.itemStarted());
            local.classifyAsync(taxonomy.localModel(local),
                    chunk.stream().map(i -> taxonomy.localInput(batch.get(i))).toList())
                    .whenComplete((predictions, error) -> {
                        long latency = (System.nanoTime() - start) / 1_000_000;
                        List<Integer> unsure = new ArrayList<>();
                        for (int c = 0; c < chunk.size(); c++) {
                            metrics.itemFinished();
                            settle(chunk.get(c), keys[chunk.get(c)], predictions == null ? null : predictions.get(c), error,
                                    latency, unsure);
                        }
                        sendPacks(unsure);
                    });
        }

        /** A cascade's unsure items go on to the LLM: alone, or into {@code packable} when the request packs. */
        private void settle(int index, String key, LocalClassifier.Prediction prediction, Throwable error, long latency,
                List<Integer> packable) {
            Item item = request.items().get(index);
            if (prediction != null && (request.strategy() == Strategy.LOCAL || prediction.confidence() >= cascadeThreshold)) {
                finish(ItemResult.local(index, item.id(), prediction.category(), prediction.confidence(), latency), "text");
            } else if (request.strategy() == Strategy.CASCADE && packs(item)) {
                packable.add(index);
            } else if (request.strategy() == Strategy.CASCADE) {
                submit(index, item, key);
            } else {
                Log.errorf(error, "Local classification of item %d failed", index);
                finish(ItemResult.localFailure(index, item.id()), "text");
            }
        }

        private void submit(int index, Item item, String key) {
            metrics.itemStarted();
            if (!ItemClassifier.usesPhoto(item, request.mode())) {
                ask(index, item, key, null);
                return;
            }
            // fetching and checking a photo can take seconds: on the item's own thread, not in a model-call slot
            Thread.ofVirtual().name("photo-item-", index).start(() -> {
                ItemClassifier.Photo photo = items.photo(index, item, request.detail());
                if (photo.rejected() != null) {
                    metrics.itemFinished();
                    finish(photo.rejected(), "image");
                } else {
                    ask(index, item, key, photo.ready());
                }
            });
        }

        private void ask(int index, Item item, String key, PhotoPipeline.Ready photo) {
            gate.submit(() -> cancelled.get()
                    ? ItemResult.cancelled(index, item.id(), new ItemResult.Outcome(0, 0, request.model(), null))
                    : items.classify(index, item, request.taxonomy(), request.model(), photo, cancelled::get, budget))
                    .whenComplete((result, error) -> {
                        metrics.itemFinished();
                        if (key != null && result != null && result.status() == ItemStatus.OK) {
                            cache.remember(key, result.category(), result.confidence(), result.model());
                        }
                        finish(result != null ? result : overloaded(index, item, error), mode(item));
                    });
        }

        /** Whether the item goes to the LLM in a pack: text items, when the request asks for packs. */
        private boolean packs(Item item) {
            return request.pack() > 1 && !ItemClassifier.usesPhoto(item, request.mode());
        }

        private void sendPacks(List<Integer> indexes) {
            for (int from = 0; from < indexes.size(); from += request.pack()) {
                sendPack(List.copyOf(indexes.subList(from, Math.min(indexes.size(), from + request.pack()))));
            }
        }

        /** Sends the items as one model call. */
        private void sendPack(List<Integer> indexes) {
            indexes.forEach(i -> metrics.itemStarted());
            List<Item> packed = indexes.stream().map(request.items()::get).toList();
            gate.submit(() -> cancelled.get()
                    ? IntStream.range(0, packed.size()).mapToObj(i -> ItemResult.cancelled(indexes.get(i),
                            packed.get(i).id(), new ItemResult.Outcome(0, 0, request.model(), null))).toList()
                    : packs.classify(indexes, packed, request.taxonomy(), request.model(), cancelled::get, budget))
                    .whenComplete((results, error) -> {
                        for (int i = 0; i < indexes.size(); i++) {
                            metrics.itemFinished();
                            Item item = packed.get(i);
                            ItemResult result = results != null ? results.get(i) : overloaded(indexes.get(i), item, error);
                            String key = items.cacheKey(item, request.taxonomy(), request.model(), request.mode());
                            if (key != null && result.status() == ItemStatus.OK) {
                                cache.remember(key, result.category(), result.confidence(), result.model());
                            }
                            finish(result, "text");
                        }
                    });
        }

        private String mode(Item item) {
            return ItemClassifier.usesPhoto(item, request.mode()) ? "image" : "text";
        }

        private ItemResult overloaded(int index, Item item, Throwable error) {
            Log.warnf("Item %d could not be scheduled: %s", index, error.toString());
            return ItemResult.failed(index, item.id(), "overloaded",
                    "the service is at capacity; send the item again later",
                    new ItemResult.Outcome(0, 0, request.model(), null));
        }

        private void finish(ItemResult result, String mode) {
            tracker.add(result);
            metrics.itemCompleted(mode, result.outcome(),
                    result.attempts() > 0 ? Duration.ofMillis(result.latencyMs()) : null);
            emitter.emit(result);
            if (remaining.decrementAndGet() == 0) {
                metrics.requestCost("request", tracker.summary().costUsd());
                emitter.complete();
            }
        }
    }
}
