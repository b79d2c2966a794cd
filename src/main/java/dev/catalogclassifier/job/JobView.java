package dev.catalogclassifier.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.catalogclassifier.classify.CascadeReport;
import dev.catalogclassifier.llm.PriceTable;
import dev.catalogclassifier.llm.ProviderPool;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code GET /api/v1/jobs/{id}} answers: status, counts per outcome, progress, ETA and cost so far.
 * {@code items_per_second} and {@code eta_seconds} are measured from when the job started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record JobView(UUID id, JobStatus status, String execution, String model, int total, Counts counts,
        double progress, Double itemsPerSecond, Double etaSeconds, double costUsd, long promptTokens,
        long completionTokens, long attempts, int retries, Double budgetUsd, String stopReason, CostReport costReport,
        Instant createdAt, Instant startedAt, Instant finishedAt, long lastEventId, CascadeReport cascadeReport,
        Waiting waitingFor) {

    /**
     * What a running job's items are waiting for, when it is not its turn or a key's permit: {@code provider_down}
     * when every provider serving its model is down ({@code providers}), so its model calls wait for one to answer
     * again instead of failing (up to {@code classifier.llm.outage.job-patience}).
     */
    public record Waiting(Reason reason, List<String> providers) {

        /** Why a job waits. */
        public enum Reason {
            PROVIDER_DOWN;

            @com.fasterxml.jackson.annotation.JsonValue
            public String label() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /**
     * What the job's tokens cost, per item that went to the model, and what the same tokens cost run in realtime
     * and through the Batch API (the old pipeline's comparison), from the price table.
     */
    public record CostReport(long promptTokens, long cachedTokens, long completionTokens, double costUsd,
            Double costPerItemUsd, double realtimeUsd, double batchApiUsd) {
    }

    /**
     * Items per outcome; {@code queued} are not finished yet. {@code cached} and {@code settled_locally} (answered
     * by the in-process classifier) are also counted in {@code ok}; {@code review} counts the results marked for review
     * (below the precision asked) that the caller has not corrected or confirmed yet.
     */
    public record Counts(int queued, int ok, int failed, int rejected, int cancelled, int cached, int settledLocally,
            int review) {
    }

    static JobView of(Job job, Instant now, PriceTable prices, ProviderPool providers) {
        int done = job.done();
        Double rate = null;
        Double eta = null;
        if (job.startedAt != null && done > 0) {
            Instant end = job.finishedAt != null ? job.finishedAt : now;
            double seconds = Math.max(0.001, Duration.between(job.startedAt, end).toMillis() / 1000.0);
            rate = done / seconds;
            eta = job.status.finished() ? 0.0 : (job.total - done) / rate;
        }
        return new JobView(job.id, job.status, job.execution, job.model, job.total,
                new Counts(job.total - done, job.succeeded, job.failed, job.rejected, job.cancelled, job.cached,
                        job.settledLocally, job.review),
                job.total == 0 ? 1.0 : (double) done / job.total, rate, eta, job.costUsd, job.promptTokens,
                job.completionTokens, job.attempts, job.retries, job.budgetUsd, job.stopReason, costReport(job, prices),
                job.createdAt, job.startedAt, job.finishedAt, job.eventSeq, cascadeReport(job), waiting(job, providers));
    }

    private static Waiting waiting(Job job, ProviderPool providers) {
        if (job.status != JobStatus.RUNNING || job.model == null) {
            return null;
        }
        List<String> down = providers.downFor(job.model);
        return down.isEmpty() ? null : new Waiting(Waiting.Reason.PROVIDER_DOWN, down);
    }

    /** What the job's cascade settled locally, as its items' savings summed up; for a cascade job only. */
    private static CascadeReport cascadeReport(Job job) {
        return !"cascade".equals(job.strategy) ? null : CascadeReport.of(job.settledLocally, job.cascadeCalibrated,
                job.cascadeChanceSum, job.tokensSaved, job.costSavedUsd);
    }

    private static CostReport costReport(Job job, PriceTable prices) {
        int asked = job.succeeded - job.cached - job.settledLocally + job.failed;
        return new CostReport(job.promptTokens, job.cachedTokens, job.completionTokens, job.costUsd,
                asked > 0 ? job.costUsd / asked : null,
                prices.price(job.model, job.promptTokens, job.cachedTokens, job.completionTokens).costUsd(),
                prices.priceBatch(job.model, job.promptTokens, job.cachedTokens, job.completionTokens).costUsd());
    }
}
