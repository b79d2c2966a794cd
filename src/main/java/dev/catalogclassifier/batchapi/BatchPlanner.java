package dev.catalogclassifier.batchapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.Choices;
import dev.catalogclassifier.classify.ItemClassifier;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.database.Blocking;
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
import io.smallrye.mutiny.Uni;

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
    private final Budget.TenantBudgets budgets;
    private final BatchSteps steps;

    public BatchPlanner(BatchApiConfig config, ProviderPool pool, JobTaxonomies taxonomies, ObjectMapper json,
            PriceTable prices, ResultWriter writer, Budget.TenantBudgets budgets, BatchSteps steps) {
        this.steps = steps;
        this.budgets = budgets;
        this.prices = prices;
        this.writer = writer;
        this.config = config;
        this.pool = pool;
        this.taxonomies = taxonomies;
        this.json = json;
    }

    /** Plans every batch-api job still waiting; blocks, so call it on a virtual thread. */
    void planWaitingJobs() throws Throwable {
        List<UUID> waiting = Blocking.await(() -> Panache.withSession(() -> Job.<Job>list(
                "execution = ?1 and status = ?2 and id not in (select b.jobId from ProviderBatch b)",
                Execution.BATCH_API, JobStatus.QUEUED)))
                .stream().map(job -> job.id).toList();
        for (UUID id : waiting) {
            plan(id);
        }
    }

    private void plan(UUID jobId) throws Throwable {
        Job job = Blocking.await(() -> Panache.withSession(() -> Job.<Job>findById(jobId)));
        var key = pool.endpointFor(job.model);
        if (key.isEmpty()) {
            Log.warnf("Batch-api job %s waits: no usable key serves %s", jobId, job.model);
            return;
        }
        Taxonomy taxonomy = taxonomies.of(job);
        BatchLines lines = new BatchLines(json, job.model);
        Choices sizing = steps.sizing(taxonomy);
        List<JobItem> all = Blocking.await(() -> Panache.withSession(() ->
                JobItem.<JobItem>list("jobId = ?1 order by idx", jobId)));
        // here, on this virtual thread, not in the transaction below: a tenant's budget may read its spending first
        Affordable affordable = new Affordable(budgets.within(job.tenant, Budget.of(job.budgetUsd, job.costUsd)));
        List<JobItem> rows = all.subList(0, affordable.take(estimates(job, sizing, all)));
        boolean planned = Blocking.await(() -> Panache.withTransaction(() -> Job.<Job>findById(jobId, LockModeType.PESSIMISTIC_WRITE)
                .chain(locked -> ProviderBatch.count("jobId", jobId).chain(existing -> {
                    if (existing > 0 || locked.status != JobStatus.QUEUED) {
                        return Uni.createFrom().item(false); // another pod planned it, or it was cancelled
                    }
                    List<ProviderBatch> batches = split(locked, rows, lines, sizing, key.get().alias(), affordable.estimates());
                    locked.status = JobStatus.RUNNING;
                    locked.startedAt = Instant.now();
                    Log.infof("Batch-api job %s: %d items in %d batch(es) on key %s", jobId, rows.size(),
                            batches.size(), key.get().alias());
                    // none when its budgets cover no item: the job then ends with the results stored below
                    return batches.isEmpty() ? Uni.createFrom().item(true) : ProviderBatch.persist(batches).replaceWith(true);
                }))));
        affordable.book(planned);
        if (planned) {
            for (JobItem row : all.subList(rows.size(), all.size())) {
                writer.store(jobId, ItemResult.budgetExceeded(row.idx, row.itemId, job.model)).join();
            }
        }
    }

    /**
     * Each item's estimated cost at the batch price: its prompt is the list it is offered (the taxonomy's, or a large
     * one's shortlist) and the item. Later rounds of a walk are charged when they end.
     */
    private double[] estimates(Job job, Choices sizing, List<JobItem> rows) {
        int categories = sizing.list().length();
        return rows.stream().mapToDouble(row -> prices.estimateBatch(job.model,
                categories + ItemClassifier.describe(row.item(json)).length())).toArray();
    }

    /**
     * The items, from the first, that the job's budget and its tenant's cover at the batch price; all of them without
     * a budget. A batch is paid for as a whole, so the budgets are applied up front, on estimates, and the tenant is
     * charged the estimate at once (the runner corrects it by what the results cost, when they come).
     */
    private static final class Affordable {

        private final Budget budget;
        private final List<Budget.Reservation> reservations = new ArrayList<>();
        private double[] estimates = new double[0];

        Affordable(Budget budget) {
            this.budget = budget;
        }

        /** How many of the items, from the first, the budgets take. */
        int take(double[] estimates) {
            this.estimates = estimates;
            for (double estimate : estimates) {
                Budget.Reservation reservation = budget.reserve(estimate);
                if (reservation == null) {
                    break;
                }
                reservations.add(reservation);
            }
            return reservations.size();
        }

        double[] estimates() {
            return estimates;
        }

        /** The plan was stored (or not, when another pod had planned the job): each item spent its estimate (or nothing). */
        void book(boolean planned) {
            reservations.forEach(r -> budget.settle(r, planned ? r.usd() : 0));
        }
    }

    private List<ProviderBatch> split(Job job, List<JobItem> rows, BatchLines lines, Choices sizing, String alias,
            double[] estimates) {
        List<ProviderBatch> batches = new ArrayList<>();
        int first = 0;
        long bytes = 0;
        for (int i = 0; i < rows.size(); i++) {
            long size = lines.line(job.id, rows.get(i).idx, rows.get(i).item(json), sizing).length;
            if (i > first && (i - first >= config.maxRequestsPerFile() || bytes + size > config.maxFileBytes())) {
                batches.add(ProviderBatch.of(job.id, alias, first, i - first, sum(estimates, first, i)));
                first = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (first < rows.size()) {
            batches.add(ProviderBatch.of(job.id, alias, first, rows.size() - first, sum(estimates, first, rows.size())));
        }
        return batches;
    }

    private static double sum(double[] values, int from, int to) {
        return java.util.Arrays.stream(values, from, to).sum();
    }
}
