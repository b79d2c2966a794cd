package dev.catalogclassifier.job;

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

    /**
     * The values of {@link JobRepository}'s statement that stores results on their items' rows: the job, then one
     * array per column with the results in order; the results' event ids follow on from {@code firstSeq}.
     */
    static Tuple rows(UUID jobId, List<ItemResult> results, long firstSeq) {
        int n = results.size();
        Integer[] index = new Integer[n];
        String[] status = new String[n];
        String[] category = new String[n];
        Double[] confidence = new Double[n];
        String[] errorCode = new String[n];
        String[] errorMessage = new String[n];
        Double[] errorValue = new Double[n];
        Double[] errorThreshold = new Double[n];
        String[] features = new String[n];
        String[] candidates = new String[n];
        String[] summary = new String[n];
        String[] processingType = new String[n];
        Integer[] attempts = new Integer[n];
        Long[] latency = new Long[n];
        Boolean[] cached = new Boolean[n];
        String[] model = new String[n];
        Integer[] promptTokens = new Integer[n];
        Integer[] cachedTokens = new Integer[n];
        Integer[] completionTokens = new Integer[n];
        Double[] cost = new Double[n];
        Double[] chance = new Double[n];
        Boolean[] review = new Boolean[n];
        Long[] seq = new Long[n];
        for (int i = 0; i < n; i++) {
            ItemResult result = results.get(i);
            ItemResult.Error error = result.error();
            Usage usage = result.usage() == null ? Usage.NONE : result.usage();
            index[i] = result.index();
            status[i] = result.status().label();
            category[i] = result.category();
            confidence[i] = result.confidence();
            if (error != null) {
                errorCode[i] = error.code();
                errorMessage[i] = error.message();
                errorValue[i] = error.value();
                errorThreshold[i] = error.threshold();
            }
            features[i] = result.features() == null ? null : write(result.features());
            candidates[i] = result.candidates() == null ? null : write(result.candidates());
            summary[i] = result.summary();
            processingType[i] = result.processingType();
            attempts[i] = result.attempts();
            latency[i] = result.latencyMs();
            cached[i] = result.cached();
            model[i] = result.model();
            promptTokens[i] = (int) usage.promptTokens();
            cachedTokens[i] = (int) usage.cachedTokens();
            completionTokens[i] = (int) usage.completionTokens();
            cost[i] = usage.costUsd();
            chance[i] = result.chance();
            review[i] = result.forReview();
            seq[i] = firstSeq + i;
        }
        return Tuple.from(new Object[] {jobId, index, status, category, confidence, errorCode, errorMessage,
                errorValue, errorThreshold, features, candidates, summary, processingType, attempts, latency, cached,
                model, promptTokens, cachedTokens, completionTokens, cost, chance, review, seq});
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
