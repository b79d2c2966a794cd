package dev.catalogclassifier.job;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.catalogclassifier.classify.ItemPipeline;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.ItemStatus;
import dev.catalogclassifier.classify.Mode;
import dev.catalogclassifier.classify.Plan;
import dev.catalogclassifier.classify.Strategy;
import dev.catalogclassifier.classify.Work;
import dev.catalogclassifier.image.PhotoDetail;
import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.Flow;
import io.opentelemetry.context.Context;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.reactive.messaging.TracingMetadata;

/**
 * Classifies job items as they arrive on the {@code job-items} channel: load the job's plan, run the item through
 * the {@link ItemPipeline} (in a run with the job's other items, see {@link JobBatches}), store the result. Each
 * message is handled on a virtual thread of its own; the method returns, and so acknowledges the message, only
 * once the result is stored: a pod killed before that leaves the item to be delivered again.
 */
@ApplicationScoped
public class JobWorker {

    private final ResultWriter writer;
    private final JobDispatcher dispatcher;
    private final JobTaxonomies jobTaxonomies;
    private final JobBatches batches;
    private final Budget.TenantBudgets tenantBudgets;
    private final HandBack handBack;
    private final JobRepository repository;
    private final Map<UUID, JobPlan> plans = new ConcurrentHashMap<>();
    /**
     * One budget per job on this pod, counting from what the job had spent when its plan was loaded. Kept apart
     * from the plans, which concurrent items may load twice: a budget must be shared. Pods working on one job
     * each hold their own, so together they may overshoot by their items in flight.
     */
    private final Map<UUID, Budget> budgets = new ConcurrentHashMap<>();

    /** A job's plan, and what its budget was and had spent when it was loaded. */
    private record JobPlan(Plan plan, Double budgetUsd, double spentUsd, String tenant) {
    }

    public JobWorker(ResultWriter writer, JobDispatcher dispatcher, JobTaxonomies jobTaxonomies, JobBatches batches,
            Budget.TenantBudgets tenantBudgets, HandBack handBack, JobRepository repository) {
        this.repository = repository;
        this.handBack = handBack;
        this.tenantBudgets = tenantBudgets;
        this.writer = writer;
        this.dispatcher = dispatcher;
        this.jobTaxonomies = jobTaxonomies;
        this.batches = batches;
    }

    @Incoming("job-items")
    @RunOnVirtualThread
    public void process(ItemWork work, Optional<TracingMetadata> tracing)
            throws InterruptedException, JsonProcessingException {
        if (handBack.handingBack()) {
            handBack.give(work); // the pod is stopping: another takes it
            return;
        }
        handBack.started();
        try {
            classify(work, tracing);
        } finally {
            handBack.ended();
        }
    }

    private void classify(ItemWork work, Optional<TracingMetadata> tracing)
            throws InterruptedException, JsonProcessingException {
        if (dispatcher.isCancelled(work.jobId())) {
            return; // the cancel already marked the item cancelled
        }
        JobPlan plan = plan(work.jobId());
        if (plan == null) {
            return; // the job no longer exists (expired and removed)
        }
        Work running = new Work(Flow.job(work.jobId(), plan.tenant()), budget(work.jobId(), plan),
                () -> dispatcher.isCancelled(work.jobId()) || handBack.handingBack());
        // the item's span joins the message's trace: the submit's, through the broker's receive span if there is one
        Context trace = tracing.map(TracingMetadata::getCurrentContext).orElseGet(Context::root);
        ItemResult result = batches.classify(work.jobId(), plan.plan(), running, work.index(), trace);
        if (result == null) {
            return; // no longer queued: answered already (a message delivered twice), or cancelled
        }
        if (result.status() == ItemStatus.CANCELLED && !result.stoppedByBudget()) {
            // the job was cancelled (its cancel marked the item) or this pod is stopping (the item stays queued):
            // nothing to store, but its calls were paid for
            if (!dispatcher.isCancelled(work.jobId())) {
                handBack.give(work);
            }
            writer.spent(work.jobId(), result).join();
            return;
        }
        writer.store(work.jobId(), result).join();
    }

    private Budget budget(UUID jobId, JobPlan plan) {
        return budgets.computeIfAbsent(jobId,
                id -> tenantBudgets.within(plan.tenant(), Budget.of(plan.budgetUsd(), plan.spentUsd())));
    }

    private JobPlan plan(UUID jobId) throws InterruptedException, JsonProcessingException {
        JobPlan plan = plans.get(jobId);
        if (plan == null) {
            Job job = repository.job(jobId);
            if (job == null) {
                return null;
            }
            if (plans.size() > 1_000) {
                plans.clear(); // a bounded cache: plans are cheap to load again
                budgets.clear();
            }
            if (job.status == JobStatus.QUEUED) {
                repository.markRunning(jobId);
            }
            plan = new JobPlan(new Plan(jobTaxonomies.of(job), job.model, Mode.parse(job.mode).orElse(Mode.AUTO),
                    Strategy.parse(job.strategy).orElse(Strategy.LLM), job.useCache,
                    PhotoDetail.parse(job.imageDetail == null ? "high" : job.imageDetail).orElse(PhotoDetail.HIGH),
                    job.pack, job.explain, job.cascadePrecision), job.budgetUsd, job.costUsd, job.tenant);
            plans.put(jobId, plan);
        }
        return plan;
    }
}
