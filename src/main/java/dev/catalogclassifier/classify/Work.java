package dev.catalogclassifier.classify;

import java.util.function.BooleanSupplier;

import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.Flow;

/**
 * Who a run of items is for, while it runs: the flow its model calls take turns in, the budget they draw on, and
 * whether the caller has gone (a closed stream, a cancelled job).
 */
public record Work(Flow flow, Budget budget, BooleanSupplier cancelled) {

    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }
}
