package dev.catalogclassifier.classify;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.catalogclassifier.llm.PhotoAnswer;
import dev.catalogclassifier.llm.Usage;
import dev.catalogclassifier.local.LocalClassifier;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What became of one item. {@code category} is always one of the request's taxonomy and is present only when
 * {@code status} is {@code ok}; otherwise {@code error} says why, with a stable {@code code}.
 * {@code latency_ms} is the item's own working time (its model calls, retries and their backoff), not its time
 * waiting for a turn, behind other items or for a key's rate-limit permit. {@code name} is the item's name, on a job's
 * results (a request's caller has its items at hand).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ItemResult(int index, String id, String name, ItemStatus status, String category, Double confidence,
        Error error, int attempts, long latencyMs, boolean cached, String model, Usage usage,
        String processingType, List<PhotoAnswer.Feature> features, String summary,
        List<LocalClassifier.Candidate> candidates, Double chance, Boolean review, @JsonIgnore Saving saving) {

    /**
     * What settling an item locally in a cascade saved, for the summary and the job's report (not shown per item):
     * its calibrated chance of being right (NaN when the taxonomy has no calibration), and the tokens and dollars of
     * the LLM call it did not need, as the price table estimates them.
     */
    public record Saving(double chanceRight, long tokens, double usd) {
    }

    /**
     * The same result judged: its calibrated chance of being right (null where nothing calibrated says it) and whether
     * it is below the precision asked, so someone should look at it ({@link dev.catalogclassifier.review.Verdict}).
     */
    public ItemResult judged(dev.catalogclassifier.review.Verdict verdict) {
        return new ItemResult(index, id, name, status, category, confidence, error, attempts, latencyMs, cached, model, usage,
                processingType, features, summary, candidates, verdict.chance(), verdict.review(), saving);
    }

    /** Whether it is marked for review. */
    public boolean forReview() {
        return Boolean.TRUE.equals(review);
    }

    /** The same local result, settled in a cascade, with what that saved. */
    public ItemResult withSaving(Saving saved) {
        return new ItemResult(index, id, name, status, category, confidence, error, attempts, latencyMs, cached, model, usage,
                processingType, features, summary, candidates, chance, review, saved);
    }

    /**
     * The same result with the categories the item was chosen from ({@code "explain": true}): its shortlist, or the
     * taxonomy's likeliest categories, best first.
     */
    public ItemResult withCandidates(List<LocalClassifier.Candidate> shortlist) {
        return new ItemResult(index, id, name, status, category, confidence, error, attempts, latencyMs, cached, model, usage,
                processingType, features, summary, shortlist == null || shortlist.isEmpty() ? null : List.copyOf(shortlist), chance, review,
                saving);
    }

    /**
     * The same result after {@code earlier} work on the same item (a pack call it shared, a batch's earlier rounds): its
     * attempts, time and usage added.
     */
    public ItemResult after(Outcome earlier) {
        Usage total = (usage == null ? Usage.NONE : usage).plus(earlier.usage() == null ? Usage.NONE : earlier.usage());
        return new ItemResult(index, id, name, status, category, confidence, error, attempts + earlier.attempts(),
                latencyMs + earlier.latencyMs(), cached, model, total, processingType, features, summary, candidates, chance,
                review, saving);
    }

    /**
     * A stable, documented code and a message for people. Never a provider's raw text. A photo check that failed
     * also says what it measured ({@code value}) and the limit ({@code threshold}).
     */
    public record Error(String code, String message, Double value, Double threshold) {

        public Error(String code, String message) {
            this(code, message, null, null);
        }
    }

    /** The error code of items a budget stopped before they were sent. */
    public static final String BUDGET_EXCEEDED = "budget_exceeded";
    static final String TEXT_PROCESSING = "text_multithreaded";
    static final String IMAGE_PROCESSING = "image_multithreaded";

    /** A vision answer: the category, and what the photo shows of the item. */
    static ItemResult okFromPhoto(int index, String id, PhotoAnswer answer, String category, Outcome outcome) {
        return new ItemResult(index, id, null, ItemStatus.OK, category, answer.confidence(), null, outcome.attempts(),
                outcome.latencyMs(), false, outcome.model(), outcome.usage(), IMAGE_PROCESSING,
                answer.features() == null ? List.of() : answer.features(), answer.summary(), null, null, null, null);
    }

    /** A photo we would not send: its failed check, with the measured value and the threshold when there are. */
    static ItemResult rejectedPhoto(int index, String id, String code, String message, Double value, Double threshold) {
        return new ItemResult(index, id, null, ItemStatus.REJECTED, null, null, new Error(code, message, value, threshold),
                0, 0, false, null, Usage.NONE, IMAGE_PROCESSING, null, null, null, null, null, null);
    }

    public static ItemResult ok(int index, String id, String category, double confidence, Outcome outcome) {
        return new ItemResult(index, id, null, ItemStatus.OK, category, confidence, null, outcome.attempts(),
                outcome.latencyMs(), false, outcome.model(), outcome.usage(), TEXT_PROCESSING, null, null, null, null, null, null);
    }

    public static ItemResult failed(int index, String id, String code, String message, Outcome outcome) {
        return new ItemResult(index, id, null, ItemStatus.FAILED, null, null, new Error(code, message),
                outcome.attempts(), outcome.latencyMs(), false, outcome.model(), outcome.usage(), TEXT_PROCESSING, null, null, null, null, null, null);
    }

    static ItemResult cancelled(int index, String id, Outcome outcome) {
        return new ItemResult(index, id, null, ItemStatus.CANCELLED, null, null,
                new Error("cancelled", "the request was cancelled before this item finished"),
                outcome.attempts(), outcome.latencyMs(), false, outcome.model(), outcome.usage(), null, null, null, null, null, null, null);
    }

    /** Whether a budget stopped this item before it was sent. */
    public boolean stoppedByBudget() {
        return error != null && BUDGET_EXCEEDED.equals(error.code());
    }

    /** Not sent to the model: the request's or job's budget could not take it. */
    public static ItemResult budgetExceeded(int index, String id, String model) {
        return new ItemResult(index, id, null, ItemStatus.CANCELLED, null, null,
                new Error(BUDGET_EXCEEDED, "not sent to the model: a budget (the request's or job's, or the tenant's for the day or month) would have been exceeded"),
                0, 0, false, model, Usage.NONE, null, null, null, null, null, null, null);
    }

    /** An answer from the result cache: nothing was spent on it (judged again by the caller, {@link #judged}). */
    public static ItemResult fromCache(int index, String id, String category, double confidence, String model) {
        return new ItemResult(index, id, null, ItemStatus.OK, category, confidence, null, 0, 0, true, model, Usage.NONE,
                TEXT_PROCESSING, null, null, null, null, null, null);
    }

    /** An answer of the in-process classifier: no key, no cost. */
    public static ItemResult local(int index, String id, String category, double confidence, long latencyMs) {
        return new ItemResult(index, id, null, ItemStatus.OK, category, confidence, null, 0, latencyMs, false,
                LocalClassifier.MODEL, Usage.NONE, "local_embeddings", null, null, null, null, null, null);
    }

    /** The in-process classifier failed on this item (a bug of ours, logged where it happened). */
    public static ItemResult localFailure(int index, String id) {
        return failed(index, id, "internal_error", "the local classifier failed",
                new Outcome(0, 0, LocalClassifier.MODEL, null));
    }

    /** An item with a photo and no text, for the local classifier, which reads text only. */
    public static ItemResult localReadsText(int index, String id) {
        return rejected(index, id, "local_reads_text",
                "the local classifier reads text only; send the item's name or ask for classifier llm");
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
        return new ItemResult(index, id, null, ItemStatus.REJECTED, null, null, new Error(code, message),
                0, 0, false, null, Usage.NONE, null, null, null, null, null, null, null);
    }

    /** The bookkeeping every model-backed result carries. */
    public record Outcome(int attempts, long latencyMs, String model, Usage usage) {
    }
}
