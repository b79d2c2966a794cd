package dev.catalogclassifier.classify;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The totals of a finished batch: counts by outcome, tokens, money and speed. {@code failed} counts model
 * failures; {@code rejected} counts items refused as bad input. {@code budget_exceeded} counts the cancelled
 * items that were not sent because the request's budget would have been exceeded. {@code settled_locally} counts the
 * items the in-process classifier answered. {@code review} counts the results marked for review (below the precision
 * asked). {@code cascade}, present only under {@code classifier: cascade}, says what the cascade settled locally (the
 * same items as {@code settled_locally}): their estimated precision, and the tokens and cost they saved.
 */
@RegisterForReflection
public record Summary(int total, int succeeded, int failed, int rejected, int cancelled, int cached,
        int settledLocally, long promptTokens, long completionTokens, double costUsd, long durationMs, double itemsPerSecond, int budgetExceeded,
        int review, @JsonInclude(JsonInclude.Include.NON_NULL) CascadeReport cascade) {
}
