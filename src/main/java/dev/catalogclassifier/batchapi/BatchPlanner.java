package dev.catalogclassifier.batchapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.ItemClassifier;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.job.Execution;
import dev.catalogclassifier.job.Job;
import dev.catalogclassifier.job.JobItem;
import dev.catalogclassifier.job.JobStatus;
import dev.catalogclassifier.job.JobTaxonomies;
import dev.catalogclassifier.job.ResultWriter;
import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.PriceTable;
import dev.catalogclassifier.llm.ProviderPool;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.vertx.VertxContextSupport;

/**
 * Splits each new batch-api job into batches within the provider's per-file limits (requests and bytes), and
 * stores them, with the key that will carry them, in one transaction with the job turning {@code running}.
 * It works from the database, so a job submitted on a pod that died before planning is planned by another.
 */
@ApplicationScoped
public class BatchPlanner {

    private final BatchApiConfig config;
    private final ProviderPool pool;
    private final JobTaxonomies taxonomies;
    private final ObjectMapper json;
    private final PriceTable prices;
    private final ResultWriter writer;

    public BatchPlanner(BatchApiConfig config, ProviderPool pool, JobTaxonomies taxonomies, ObjectMapper json,
            PriceTable prices, ResultWriter writer) {
        this.prices = prices;
        this.writer = writer;
        this.config = config;
        this.pool = pool;
        this.taxonomies = taxonomies;
        this.json = json;
    }

    /** Plans every batch-api job still waiting; blocks, so call it on a virtual thread. */
    void planWaitingJobs() throws Throwable {
        List<UUID> waiting = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Job.<Job>list(
                "execution = ?1 and status = ?2 and id not in (select b.jobId from ProviderBatch b)",
                Execution.BATCH_API, JobStatus.QUEUED)))
                .stream().map(job -> job.id).toList();
        for (UUID id : waiting) {
            plan(id);
        }
    }

    private void plan(UUID jobId) throws Throwable {
        Job job = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Job.<Job>findById(jobId)));
        var key = pool.endpointFor(job.model);
        if (key.isEmpty()) {
            Log.warnf("Batch-api job %s waits: no usable key serves %s", jobId, job.model);
            return;
        }
        Taxonomy taxonomy = taxonomies.of(job);
        BatchLines lines = new BatchLines(json, job.model, taxonomy);
        List<JobItem> unaffordable = new ArrayList<>();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Job.<Job>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(locked -> ProviderBatch.count("jobId", jobId).chain(existing -> {
                    if (existing > 0 || locked.status != JobStatus.QUEUED) {
                        return io.smallrye.mutiny.Uni.createFrom().voidItem(); // another pod planned it, or it was cancelled
                    }
                    return JobItem.<JobItem>list("jobId = ?1 order by idx", jobId).chain(all -> {
                        List<JobItem> rows = all.subList(0, affordable(locked, all, taxonomy));
                        unaffordable.addAll(all.subList(rows.size(), all.size()));
                        List<ProviderBatch> batches = split(locked, rows, lines, key.get().alias());
                        locked.status = JobStatus.RUNNING;
                        locked.startedAt = Instant.now();
                        Log.infof("Batch-api job %s: %d items in %d batch(es) on key %s", jobId, rows.size(),
                                batches.size(), key.get().alias());
                        return ProviderBatch.persist(batches);
                    });
                }))));
        for (JobItem row : unaffordable) {
            writer.store(jobId, ItemResult.budgetExceeded(row.idx, row.itemId, job.model)).join();
        }
    }

    /**
     * How many items, from the first, the job's budget covers at the batch price; all of them without a budget.
     * A batch is paid for as a whole, so the budget is applied up front, on estimates.
     */
    private int affordable(Job job, List<JobItem> rows, Taxonomy taxonomy) {
        if (job.budgetUsd == null) {
            return rows.size();
        }
        Budget budget = Budget.of(job.budgetUsd, job.costUsd);
        int categories = taxonomy.asPromptList().length();
        for (int i = 0; i < rows.size(); i++) {
            int chars = categories + ItemClassifier.describe(rows.get(i).item(json)).length();
            if (budget.reserve(prices.estimateBatch(job.model, chars)) == null) {
                return i;
            }
        }
        return rows.size();
    }

    private List<ProviderBatch> split(Job job, List<JobItem> rows, BatchLines lines, String alias) {
        List<ProviderBatch> batches = new ArrayList<>();
        int first = 0;
        long bytes = 0;
        for (int i = 0; i < rows.size(); i++) {
            long size = lines.line(job.id, rows.get(i).idx, rows.get(i).item(json)).length;
            if (i > first && (i - first >= config.maxRequestsPerFile() || bytes + size > config.maxFileBytes())) {
                batches.add(ProviderBatch.of(job.id, alias, first, i - first));
                first = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (first < rows.size()) {
            batches.add(ProviderBatch.of(job.id, alias, first, rows.size() - first));
        }
        return batches;
    }
}
