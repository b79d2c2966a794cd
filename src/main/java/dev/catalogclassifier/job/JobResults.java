package dev.catalogclassifier.job;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.ItemStatus;
import dev.catalogclassifier.llm.PhotoAnswer;
import dev.catalogclassifier.llm.Usage;
import dev.catalogclassifier.local.LocalClassifier;
import io.vertx.mutiny.sqlclient.Tuple;

/** Moves an {@link ItemResult} onto its stored row and back, so the jobs API shows the same shape. */
final class JobResults {

    /** Features and candidates are stored as they are sent, in the API's snake_case. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
    private static final TypeReference<List<PhotoAnswer.Feature>> FEATURES = new TypeReference<>() { };
    private static final TypeReference<List<LocalClassifier.Candidate>> CANDIDATES = new TypeReference<>() { };

    private JobResults() {
    }

    /** The values of {@link JobRepository}'s statement that stores a result on its item's row. */
    static Tuple row(UUID jobId, ItemResult result, long seq) {
        ItemResult.Error error = result.error();
        Usage usage = result.usage() == null ? Usage.NONE : result.usage();
        return Tuple.from(Arrays.asList(jobId, result.index(), result.status().label(), result.category(),
                result.confidence(), error == null ? null : error.code(), error == null ? null : error.message(),
                error == null ? null : error.value(), error == null ? null : error.threshold(),
                result.features() == null ? null : write(result.features()),
                result.candidates() == null ? null : write(result.candidates()), result.summary(),
                result.processingType(), result.attempts(), result.latencyMs(), result.cached(), result.model(),
                (int) usage.promptTokens(), (int) usage.cachedTokens(), (int) usage.completionTokens(),
                usage.costUsd(), result.chance(), result.forReview(), seq));
    }

    static ItemResult toResult(JobItem row) {
        ItemStatus status = row.stored() ? ItemStatus.valueOf(row.status.toUpperCase(Locale.ROOT)) : null;
        ItemResult.Error error = row.errorCode == null ? null
                : new ItemResult.Error(row.errorCode, row.errorMessage, row.errorValue, row.errorThreshold);
        return new ItemResult(row.idx, row.itemId, row.name, status, row.category, row.confidence, error, row.attempts,
                row.latencyMs, row.cached, row.model,
                new Usage(row.promptTokens, row.cachedTokens, row.completionTokens, row.costUsd), row.processingType,
                row.features == null ? null : read(row.features, FEATURES), row.summary,
                row.candidates == null ? null : read(row.candidates, CANDIDATES), row.chance,
                row.stored() && ItemStatus.OK == status ? row.review : null, null);
    }

    private static String write(List<?> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> List<T> read(String stored, TypeReference<List<T>> type) {
        try {
            return JSON.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored result is not JSON", e);
        }
    }

    /**
     * What a result that is not stored still cost (its item was cancelled while its call ran, or a copy of its
     * message was answered first): the job's totals include every call made.
     */
    static void spent(Job job, ItemResult result) {
        Usage usage = result.usage() == null ? Usage.NONE : result.usage();
        job.promptTokens += usage.promptTokens();
        job.cachedTokens += usage.cachedTokens();
        job.completionTokens += usage.completionTokens();
        job.costUsd += usage.costUsd();
        job.attempts += result.attempts();
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
        if (result.stoppedByBudget()) {
            job.stopReason = ItemResult.BUDGET_EXCEEDED;
        }
        if (result.settledLocally()) {
            job.settledLocally++;
        }
        if (result.forReview()) {
            job.review++;
        }
        if (result.saving() != null) {
            if (!Double.isNaN(result.saving().chanceRight())) {
                job.cascadeCalibrated++;
                job.cascadeChanceSum += result.saving().chanceRight();
            }
            job.tokensSaved += result.saving().tokens();
            job.costSavedUsd += result.saving().usd();
        }
        spent(job, result);
    }
}
