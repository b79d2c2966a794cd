package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.ItemClassifier;
import dev.catalogclassifier.cache.ResultCache;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.ItemStatus;
import dev.catalogclassifier.classify.Mode;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.llm.ModelCallGate;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.RunOnVirtualThread;

/**
 * Classifies job items as they arrive on the {@code job-items} channel, each on a virtual thread of its own
 * and through the same bulkhead as the streaming API. The method returns, and so acknowledges the message,
 * only once the result is stored: a pod killed before that leaves the item to be delivered again.
 */
@ApplicationScoped
public class JobWorker {

    private static final TypeReference<List<String>> CATEGORIES = new TypeReference<>() { };

    private final ItemClassifier items;
    private final ModelCallGate gate;
    private final ResultWriter writer;
    private final JobDispatcher dispatcher;
    private final ClassifierMetrics metrics;
    private final ObjectMapper json;
    private final ResultCache cache;
    private final Map<UUID, Plan> plans = new ConcurrentHashMap<>();

    /** What every item of a job shares. */
    record Plan(Taxonomy taxonomy, String model, Mode mode, boolean useCache) {
    }

    public JobWorker(ItemClassifier items, ModelCallGate gate, ResultWriter writer, JobDispatcher dispatcher,
            ClassifierMetrics metrics, ObjectMapper json, ResultCache cache) {
        this.cache = cache;
        this.items = items;
        this.gate = gate;
        this.writer = writer;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.json = json;
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
        if (result.status() == ItemStatus.CANCELLED) {
            return;
        }
        writer.store(work.jobId(), result).join();
    }

    private ItemResult classify(ItemWork work, Plan plan) {
        var rejected = items.precheck(work.index(), work.item(), plan.mode());
        if (rejected.isPresent()) {
            metrics.itemCompleted("image", "rejected", null);
            return rejected.get();
        }
        String key = items.cacheKey(work.item(), plan.taxonomy(), plan.model());
        ResultCache.Hit hit = plan.useCache() ? cache.lookupOne(key) : null;
        if (hit != null) {
            metrics.itemCompleted("text", "cached", null);
            return ItemResult.fromCache(work.index(), work.item().id(), hit.category(), hit.confidence(), hit.model());
        }
        metrics.itemStarted();
        try {
            ItemResult result = gate.submit(() -> items.classify(work.index(), work.item(), plan.taxonomy(),
                    plan.model(), () -> dispatcher.isCancelled(work.jobId()))).toCompletableFuture().join();
            metrics.itemCompleted("text", result.outcome(),
                    result.attempts() > 0 ? Duration.ofMillis(result.latencyMs()) : null);
            if (result.status() == ItemStatus.OK) {
                cache.remember(key, result.category(), result.confidence(), result.model());
            }
            return result;
        } finally {
            metrics.itemFinished();
        }
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
            }
            plan = new Plan(new Taxonomy(json.readValue(job.taxonomy, CATEGORIES)), job.model,
                    Mode.parse(job.mode).orElse(Mode.AUTO), job.useCache);
            plans.put(jobId, plan);
        }
        return plan;
    }
}
