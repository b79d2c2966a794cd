package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;


import dev.catalogclassifier.classify.ItemClassifier;
import dev.catalogclassifier.cache.ResultCache;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.ItemStatus;
import dev.catalogclassifier.classify.Mode;
import dev.catalogclassifier.classify.Strategy;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.image.PhotoDetail;
import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.ModelCallGate;
import dev.catalogclassifier.local.LocalClassifier;
import dev.catalogclassifier.local.LocalConfig;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.RunOnVirtualThread;

/**
 * Classifies job items as they arrive on the {@code job-items} channel, each on a virtual thread of its own
 * and through the same bulkhead as the streaming API. The method returns, and so acknowledges the message,
 * only once the result is stored: a pod killed before that leaves the item to be delivered again.
 */
@ApplicationScoped
public class JobWorker {

    private final ItemClassifier items;
    private final ModelCallGate gate;
    private final ResultWriter writer;
    private final JobDispatcher dispatcher;
    private final ClassifierMetrics metrics;
    private final ResultCache cache;
    private final Map<UUID, Plan> plans = new ConcurrentHashMap<>();
    /**
     * One budget per job on this pod, counting from what the job had spent when its plan was loaded. Kept apart
     * from the plans, which concurrent items may load twice: a budget must be shared. Pods working on one job
     * each hold their own, so together they may overshoot by their items in flight.
     */
    private final Map<UUID, Budget> budgets = new ConcurrentHashMap<>();
    private final LocalClassifier local;
    private final double cascadeThreshold;
    private final JobTaxonomies jobTaxonomies;
    private final JobPacks packs;

    /** What every item of a job shares. */
    record Plan(Taxonomy taxonomy, String model, Mode mode, boolean useCache, Strategy strategy, PhotoDetail detail,
            Double budgetUsd, double spentUsd, int pack) {
    }

    public JobWorker(ItemClassifier items, ModelCallGate gate, ResultWriter writer, JobDispatcher dispatcher,
            ClassifierMetrics metrics, ResultCache cache, LocalClassifier local,
            LocalConfig localConfig, JobTaxonomies jobTaxonomies, JobPacks packs) {
        this.packs = packs;
        this.local = local;
        this.cascadeThreshold = localConfig.cascadeThreshold();
        this.jobTaxonomies = jobTaxonomies;
        this.cache = cache;
        this.items = items;
        this.gate = gate;
        this.writer = writer;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    @Incoming("job-items")
    @RunOnVirtualThread
    public void process(ItemWork work) throws Throwable {
        if (dispatcher.isCancelled(work.jobId())) {
            return; // the cancel already marked the item cancelled
        }
        Plan plan = plan(work.jobId());
        if (plan == null) {
            return; // the job no longer exists (expired and removed)
        }
        ItemResult result = classify(work, plan);
        if (result.status() == ItemStatus.CANCELLED && !result.stoppedByBudget()) {
            return; // the job was cancelled, and its cancel already marked the item
        }
        writer.store(work.jobId(), result).join();
    }

    private ItemResult classify(ItemWork work, Plan plan) {
        var rejected = items.precheck(work.index(), work.item(), plan.mode());
        if (rejected.isPresent()) {
            metrics.itemCompleted("image", "rejected", null);
            return rejected.get();
        }
        boolean photo = ItemClassifier.usesPhoto(work.item(), plan.mode());
        if (plan.strategy() == Strategy.LOCAL && !work.item().hasText()) {
            metrics.itemCompleted("image", "rejected", null);
            return ItemResult.localReadsText(work.index(), work.item().id());
        }
        if (plan.strategy() == Strategy.LOCAL || (plan.strategy() == Strategy.CASCADE && !photo)) {
            ItemResult settled = locally(work, plan);
            if (settled != null) {
                return settled;
            }
        }
        String key = items.cacheKey(work.item(), plan.taxonomy(), plan.model(), plan.mode());
        ResultCache.Hit hit = plan.useCache() && key != null ? cache.lookupOne(key) : null;
        if (hit != null) {
            metrics.itemCompleted("text", "cached", null);
            return ItemResult.fromCache(work.index(), work.item().id(), hit.category(), hit.confidence(), hit.model());
        }
        metrics.itemStarted();
        try {
            // the photo is fetched and checked on this thread, before the item takes a model-call slot
            ItemClassifier.Photo image = photo ? items.photo(work.index(), work.item(), plan.detail()) : null;
            if (image != null && image.rejected() != null) {
                metrics.itemCompleted("image", "rejected", null);
                return image.rejected();
            }
            ItemResult result = !photo && plan.pack() > 1
                    ? packs.classify(work.jobId(), work, new JobPacks.Call(plan.taxonomy(), plan.model(), plan.pack(),
                            () -> dispatcher.isCancelled(work.jobId()), budget(work.jobId(), plan)))
                    : gate.submit(() -> items.classify(work.index(), work.item(), plan.taxonomy(),
                            plan.model(), image == null ? null : image.ready(), () -> dispatcher.isCancelled(work.jobId()),
                            budget(work.jobId(), plan)))
                            .toCompletableFuture().join();
            metrics.itemCompleted(photo ? "image" : "text", result.outcome(),
                    result.attempts() > 0 ? Duration.ofMillis(result.latencyMs()) : null);
            if (key != null && result.status() == ItemStatus.OK) {
                cache.remember(key, result.category(), result.confidence(), result.model());
            }
            return result;
        } finally {
            metrics.itemFinished();
        }
    }

    /**
     * The local classifier's answer, or null when a cascade sends the item on to the LLM. It runs on the
     * classifier's own threads; this virtual thread only waits.
     */
    private ItemResult locally(ItemWork work, Plan plan) {
        long start = System.nanoTime();
        metrics.itemStarted();
        try {
            LocalClassifier.Prediction prediction = predict(work, plan.taxonomy());
            if (plan.strategy() == Strategy.CASCADE && (prediction == null || prediction.confidence() < cascadeThreshold)) {
                return null;
            }
            ItemResult result = prediction == null
                    ? ItemResult.localFailure(work.index(), work.item().id())
                    : ItemResult.local(work.index(), work.item().id(), prediction.category(), prediction.confidence(),
                            (System.nanoTime() - start) / 1_000_000);
            metrics.itemCompleted("text", result.outcome(), null);
            return result;
        } finally {
            metrics.itemFinished();
        }
    }

    /** The local classifier's prediction; null if it failed (a cascade then asks the LLM). */
    private LocalClassifier.Prediction predict(ItemWork work, Taxonomy taxonomy) {
        try {
            return local.classifyAsync(taxonomy.localModel(local), List.of(taxonomy.localInput(work.item())))
                    .join().getFirst();
        } catch (RuntimeException e) {
            Log.errorf(e, "Local classification of job %s item %d failed", work.jobId(), work.index());
            return null;
        }
    }

    private Budget budget(UUID jobId, Plan plan) {
        return budgets.computeIfAbsent(jobId, id -> Budget.of(plan.budgetUsd(), plan.spentUsd()));
    }

    private Plan plan(UUID jobId) throws Throwable {
        Plan plan = plans.get(jobId);
        if (plan == null) {
            Job job = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Job.<Job>findById(jobId)));
            if (job == null) {
                return null;
            }
            if (plans.size() > 1_000) {
                plans.clear(); // a bounded cache: plans are cheap to load again
                budgets.clear();
            }
            plan = new Plan(jobTaxonomies.of(job), job.model, Mode.parse(job.mode).orElse(Mode.AUTO), job.useCache,
                    Strategy.parse(job.strategy).orElse(Strategy.LLM),
                    PhotoDetail.parse(job.imageDetail == null ? "high" : job.imageDetail).orElse(PhotoDetail.HIGH),
                    job.budgetUsd, job.costUsd, job.pack);
            plans.put(jobId, plan);
        }
        return plan;
    }
}
