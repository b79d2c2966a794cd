package dev.catalogclassifier.batchapi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.Choices;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.database.Database;
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
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.RunOnVirtualThread;

/**
 * Moves every open batch one step at a time: upload its file, create it, poll it with a growing interval, and
 * once it ends, map its results back to the items (and, for a large taxonomy, plan the next round of a walk down its
 * tree for the items that go on: {@link BatchSteps}). Each step's outcome is stored before the next is taken, so
 * a restart resumes where the last pod stopped. Pods share the work by claiming a batch (pushing its next poll
 * time ahead by {@code claim-for}) before working on it.
 */
@ApplicationScoped
public class BatchApiRunner {

    private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

    private final BatchApiConfig config;
    private final BatchApiClient client;
    private final BatchPlanner planner;
    private final ProviderPool pool;
    private final PriceTable prices;
    private final JobTaxonomies taxonomies;
    private final ResultWriter writer;
    private final Database database;
    private final ObjectMapper json;
    private final Budget.TenantBudgets budgets;
    private final BatchSteps steps;

    public BatchApiRunner(BatchApiConfig config, BatchApiClient client, BatchPlanner planner, ProviderPool pool,
            PriceTable prices, JobTaxonomies taxonomies, ResultWriter writer, Database database, ObjectMapper json,
            Budget.TenantBudgets budgets, BatchSteps steps) {
        this.steps = steps;
        this.budgets = budgets;
        this.config = config;
        this.client = client;
        this.planner = planner;
        this.pool = pool;
        this.prices = prices;
        this.taxonomies = taxonomies;
        this.writer = writer;
        this.database = database;
        this.json = json;
    }

    @Scheduled(every = "${classifier.batch-api.tick:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @RunOnVirtualThread
    void tick() {
        if (!database.ready()) {
            return;
        }
        try {
            planner.planWaitingJobs();
            for (ProviderBatch batch : claimDue()) {
                step(batch);
            }
        } catch (Throwable e) {
            Log.warnf("The Batch API runner could not finish this round (%s); it tries again", e.toString());
        }
    }

    private List<ProviderBatch> claimDue() throws Throwable {
        Instant now = Instant.now();
        List<ProviderBatch> due = Blocking.await(() -> Panache.withSession(() -> ProviderBatch.<ProviderBatch>find(
                "status in ?1 and nextPollAt <= ?2 order by nextPollAt",
                List.of(ProviderBatch.PENDING, ProviderBatch.UPLOADED, ProviderBatch.SUBMITTED), now).page(0, 20).list()));
        Instant until = now.plus(config.claimFor());
        return due.stream().filter(b -> claimed(b, until)).toList();
    }

    private boolean claimed(ProviderBatch b, Instant until) {
        try {
            int won = Blocking.await(() -> Panache.withTransaction(() -> ProviderBatch.update(
                    "nextPollAt = ?1 where id = ?2 and nextPollAt = ?3", until, b.id, b.nextPollAt)));
            b.nextPollAt = until;
            return won == 1;
        } catch (Throwable e) {
            return false;
        }
    }

    private void step(ProviderBatch b) throws Throwable {
        Job job = Blocking.await(() -> Panache.withSession(() -> Job.<Job>findById(b.jobId)));
        var key = pool.endpoint(b.keyAlias);
        if (job == null) {
            return; // removed with its batches
        }
        if (key.isEmpty()) {
            finish(b, job, null, "batch_key_gone", "the key this batch was created with is no longer configured");
            return;
        }
        try {
            if (job.status == JobStatus.CANCELLED) {
                cancel(b, job, key.get());
            } else if (ProviderBatch.SUBMITTED.equals(b.status)) {
                poll(b, job, key.get());
            } else {
                submit(b, job, key.get());
            }
        } catch (BatchApiClient.Failure e) {
            Log.warnf("Batch %s of job %s on key %s: %s", b.id, b.jobId, b.keyAlias, e.getMessage());
            if (e.permanent() && !ProviderBatch.SUBMITTED.equals(b.status)) {
                finish(b, job, null, "batch_rejected", "the Batch API refused the batch (HTTP " + e.status() + ")");
            } else {
                save(b, later(b));
            }
        }
    }

    /** Uploads the file if that has not happened yet, then creates the batch; each id is stored at once. */
    private void submit(ProviderBatch b, Job job, ProviderPool.Endpoint key) throws Throwable {
        if (ProviderBatch.PENDING.equals(b.status)) {
            List<JobItem> rows = rows(b);
            List<Choices> offers = steps.offers(job, taxonomies.of(job), b, rows);
            byte[] file = new BatchLines(json, job.model).file(b.jobId, rows.stream().map(r -> r.idx).toList(),
                    rows.stream().map(r -> r.item(json)).toList(), offers);
            b.inputFileId = client.upload(key, "job-" + b.jobId + "-" + b.firstIndex + ".jsonl", file);
            b.status = ProviderBatch.UPLOADED;
            save(b, Instant.now());
        }
        JsonNode created = client.create(key, b.inputFileId, config.completionWindow(),
                Map.of("job_id", b.jobId.toString(), "first_index", String.valueOf(b.firstIndex)));
        b.batchId = created.path("id").asText();
        b.status = ProviderBatch.SUBMITTED;
        Log.infof("Job %s: batch %s created on key %s for items %d to %d", b.jobId, b.batchId, b.keyAlias,
                b.firstIndex, b.firstIndex + b.itemCount - 1);
        save(b, Instant.now().plus(config.firstPollInterval()));
    }

    private void poll(ProviderBatch b, Job job, ProviderPool.Endpoint key) throws Throwable {
        JsonNode batch = client.get(key, b.batchId);
        String status = batch.path("status").asText();
        b.polls++;
        if (!ENDED.contains(status)) {
            save(b, later(b));
            return;
        }
        String code = switch (status) {
            case "expired" -> "batch_expired";
            case "failed" -> "batch_failed";
            case "cancelled" -> "cancelled";
            default -> "batch_incomplete";
        };
        finish(b, job, batch, code, "the batch ended " + status + " without an answer for this item");
    }

    /** Stores a result for every item of the batch: its answer where a file has one, else {@code code}. */
    private void finish(ProviderBatch b, Job job, JsonNode batch, String code, String message) throws Throwable {
        List<JobItem> rows = rows(b);
        Map<Integer, String> ids = new java.util.HashMap<>();
        rows.forEach(r -> ids.put(r.idx, r.itemId));
        Taxonomy taxonomy = taxonomies.of(job);
        BatchResults results = new BatchResults(json, prices, b.jobId, taxonomy, job.model, ids);
        if (batch != null) {
            long latency = Math.max(0, batch.path("completed_at").asLong(batch.path("created_at").asLong())
                    - batch.path("created_at").asLong()) * 1000;
            var key = pool.endpoint(b.keyAlias).orElseThrow();
            for (String file : new String[] { batch.path("output_file_id").asText(null), batch.path("error_file_id").asText(null) }) {
                if (file != null && !file.isBlank()) {
                    results.read(client.content(key, file), latency);
                }
            }
            b.outputFileId = batch.path("output_file_id").asText(null);
            b.errorFileId = batch.path("error_file_id").asText(null);
        }
        BatchSteps.Round round = steps.after(b, taxonomy, job.model, results.complete(code, message));
        double cost = 0;
        for (var result : round.finished()) {
            writer.store(b.jobId, result).join();
            cost += result.usage() == null ? 0 : result.usage().costUsd();
        }
        if (!round.next().isEmpty()) { // stored before this batch is done, so a restart cannot lose them
            ProviderBatch next = steps.nextBatch(b, round.next());
            Blocking.await(() -> Panache.withTransaction(next::persist));
            Log.infof("Job %s: %d item(s) go on down the taxonomy in round %d", b.jobId, round.next().size(), next.round);
        }
        b.status = ProviderBatch.DONE;
        save(b, Instant.now());
        budgets.spent(job.tenant, cost - b.estimatedUsd); // the tenant was charged the estimate when it was planned
    }

    /** The job items a batch carries, in order: its range, or the items a walk's round lists. */
    private List<JobItem> rows(ProviderBatch b) throws Throwable {
        if (b.steps != null) {
            List<Integer> listed = List.copyOf(steps.steps(b).keySet());
            return Blocking.await(() -> Panache.withSession(() -> JobItem.<JobItem>list(
                    "jobId = ?1 and idx in ?2 order by idx", b.jobId, listed)));
        }
        return Blocking.await(() -> Panache.withSession(() -> JobItem.<JobItem>list(
                "jobId = ?1 and idx >= ?2 and idx < ?3 order by idx", b.jobId, b.firstIndex, b.firstIndex + b.itemCount)));
    }

    /**
     * Asks the provider to cancel the batch. A batch never created cost nothing, so its estimate goes back to the
     * tenant; one that was created keeps it: the provider bills what it finished before cancelling, which this
     * service does not read back.
     */
    private void cancel(ProviderBatch b, Job job, ProviderPool.Endpoint key) throws Throwable {
        if (b.batchId != null) {
            client.cancel(key, b.batchId);
        }
        b.status = ProviderBatch.CANCELLED;
        save(b, Instant.now());
        if (b.batchId == null) {
            budgets.spent(job.tenant, -b.estimatedUsd);
        }
    }

    private Instant later(ProviderBatch b) {
        long first = config.firstPollInterval().toMillis();
        long wait = Math.min(config.maxPollInterval().toMillis(), first << Math.min(b.polls, 20));
        return Instant.now().plus(Duration.ofMillis(wait));
    }

    private void save(ProviderBatch b, Instant nextPoll) throws Throwable {
        b.nextPollAt = nextPoll;
        b.updatedAt = Instant.now();
        Blocking.await(() -> Panache.withTransaction(() -> ProviderBatch.update(
                "status = ?1, inputFileId = ?2, batchId = ?3, outputFileId = ?4, errorFileId = ?5, polls = ?6, "
                        + "nextPollAt = ?7, updatedAt = ?8 where id = ?9",
                b.status, b.inputFileId, b.batchId, b.outputFileId, b.errorFileId, b.polls, b.nextPollAt, b.updatedAt, b.id)));
    }
}
