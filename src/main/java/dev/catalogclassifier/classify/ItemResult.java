package dev.catalogclassifier.classify;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.catalogclassifier.llm.Usage;
import dev.catalogclassifier.local.LocalClassifier;

/**
 * What became of one item. {@code category} is always one of the request's taxonomy and is present only when
 * {@code status} is {@code ok}; otherwise {@code error} says why, with a stable {@code code}.
 * {@code latency_ms} is the item's own working time (its model calls, retries and waits), not its time queued
 * behind other items.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResult(int index, String id, ItemStatus status, String category, Double confidence,
        Error error, int attempts, long latencyMs, boolean cached, String model, Usage usage,
        String processingType) {

    /** A stable, documented code and a message for people. Never a provider's raw text. */
    public record Error(String code, String message) {
    }

    static final String TEXT_PROCESSING = "text_multithreaded";

    static ItemResult ok(int index, String id, String category, double confidence, Outcome outcome) {
        return new ItemResult(index, id, ItemStatus.OK, category, confidence, null, outcome.attempts(),
                outcome.latencyMs(), false, outcome.model(), outcome.usage(), TEXT_PROCESSING);
    }

    static ItemResult failed(int index, String id, String code, String message, Outcome outcome) {
        return new ItemResult(index, id, ItemStatus.FAILED, null, null, new Error(code, message),
                outcome.attempts(), outcome.latencyMs(), false, outcome.model(), outcome.usage(), TEXT_PROCESSING);
    }

    static ItemResult cancelled(int index, String id, Outcome outcome) {
        return new ItemResult(index, id, ItemStatus.CANCELLED, null, null,
                new Error("cancelled", "the request was cancelled before this item finished"),
                outcome.attempts(), outcome.latencyMs(), false, outcome.model(), outcome.usage(), null);
    }

    /** An answer from the result cache: nothing was spent on it. */
    public static ItemResult fromCache(int index, String id, String category, double confidence, String model) {
        return new ItemResult(index, id, ItemStatus.OK, category, confidence, null, 0, 0, true, model, Usage.NONE,
                TEXT_PROCESSING);
    }

    /** An answer of the in-process classifier: no key, no cost. */
    public static ItemResult local(int index, String id, String category, double confidence, long latencyMs) {
        return new ItemResult(index, id, ItemStatus.OK, category, confidence, null, 0, latencyMs, false,
                LocalClassifier.MODEL, Usage.NONE, "local_embeddings");
    }

    /** The in-process classifier failed on this item (a bug of ours, logged where it happened). */
    public static ItemResult localFailure(int index, String id) {
        return failed(index, id, "internal_error", "the local classifier failed",
                new Outcome(0, 0, LocalClassifier.MODEL, null));
    }

    /** Whether the in-process classifier settled this item. */
    public boolean settledLocally() {
        return LocalClassifier.MODEL.equals(model) && status == ItemStatus.OK;
    }

    /** The outcome label for metrics: {@code cached} for stored answers, else the status. */
    public String outcome() {
        return cached ? "cached" : status.label();
    }

    static ItemResult rejected(int index, String id, String code, String message) {
        return new ItemResult(index, id, ItemStatus.REJECTED, null, null, new Error(code, message),
                0, 0, false, null, Usage.NONE, null);
    }

    /** The bookkeeping every model-backed result carries. */
    record Outcome(int attempts, long latencyMs, String model, Usage usage) {
    }
}
