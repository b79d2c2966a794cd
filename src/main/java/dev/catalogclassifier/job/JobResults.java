package dev.catalogclassifier.job;

import java.util.Locale;

import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.ItemStatus;
import dev.catalogclassifier.llm.Usage;

/** Moves an {@link ItemResult} onto its stored row and back, so the jobs API shows the same shape. */
final class JobResults {

    private JobResults() {
    }

    static void store(JobItem row, ItemResult result, long seq) {
        row.status = result.status().label();
        row.category = result.category();
        row.confidence = result.confidence();
        row.errorCode = result.error() == null ? null : result.error().code();
        row.errorMessage = result.error() == null ? null : result.error().message();
        row.attempts += result.attempts();
        row.latencyMs = result.latencyMs();
        row.cached = result.cached();
        row.model = result.model();
        Usage usage = result.usage() == null ? Usage.NONE : result.usage();
        row.promptTokens = (int) usage.promptTokens();
        row.cachedTokens = (int) usage.cachedTokens();
        row.completionTokens = (int) usage.completionTokens();
        row.costUsd = usage.costUsd();
        row.seq = seq;
    }

    static ItemResult toResult(JobItem row) {
        ItemStatus status = row.stored() ? ItemStatus.valueOf(row.status.toUpperCase(Locale.ROOT)) : null;
        ItemResult.Error error = row.errorCode == null ? null : new ItemResult.Error(row.errorCode, row.errorMessage);
        return new ItemResult(row.idx, row.itemId, status, row.category, row.confidence, error, row.attempts,
                row.latencyMs, row.cached, row.model,
                new Usage(row.promptTokens, row.cachedTokens, row.completionTokens, row.costUsd), null);
    }

    static void count(Job job, ItemResult result) {
        switch (result.status()) {
            case OK -> job.succeeded++;
            case FAILED -> job.failed++;
            case REJECTED -> job.rejected++;
            case CANCELLED -> job.cancelled++;
        }
        if (result.cached()) {
            job.cached++;
        }
        if (result.settledLocally()) {
            job.settledLocally++;
        }
        Usage usage = result.usage() == null ? Usage.NONE : result.usage();
        job.promptTokens += usage.promptTokens();
        job.cachedTokens += usage.cachedTokens();
        job.completionTokens += usage.completionTokens();
        job.costUsd += usage.costUsd();
        job.attempts += result.attempts();
    }
}
