package dev.catalogclassifier.job;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code GET /api/v1/jobs/{id}} answers: status, counts per outcome, progress, ETA and cost so far.
 * {@code items_per_second} and {@code eta_seconds} are measured from when the job started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(UUID id, JobStatus status, String execution, String model, int total, Counts counts,
        double progress, Double itemsPerSecond, Double etaSeconds, double costUsd, long promptTokens,
        long completionTokens, long attempts, int retries, Double budgetUsd, Instant createdAt, Instant startedAt,
        Instant finishedAt, long lastEventId) {

    /**
     * Items per outcome; {@code queued} are not finished yet. {@code cached} and {@code settled_locally} (answered
     * by the in-process classifier) are also counted in {@code ok}.
     */
    public record Counts(int queued, int ok, int failed, int rejected, int cancelled, int cached, int settledLocally) {
    }

    static JobView of(Job job, Instant now) {
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
                        job.settledLocally),
                job.total == 0 ? 1.0 : (double) done / job.total, rate, eta, job.costUsd, job.promptTokens,
                job.completionTokens, job.attempts, job.retries, job.budgetUsd, job.createdAt, job.startedAt,
                job.finishedAt, job.eventSeq);
    }
}
