package dev.catalogclassifier.classify;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.llm.Budget;
import dev.catalogclassifier.llm.Flow;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.smallrye.mutiny.Multi;

/**
 * A request's fan-out: all its items go through the {@link ItemPipeline} at once, as one flow of the model-call
 * scheduler, and each result is emitted the moment it is ready, in completion order. When the subscriber goes
 * away (an SSE client disconnects), the request is cancelled: calls still waiting for a turn leave the queue
 * unsent and their items finish as {@code cancelled}; running ones stop before their next attempt.
 */
@ApplicationScoped
public class BatchClassifier {

    private final ItemPipeline pipeline;
    private final ClassifierMetrics metrics;
    private final Budget.TenantBudgets budgets;

    public BatchClassifier(ItemPipeline pipeline, ClassifierMetrics metrics, Budget.TenantBudgets budgets) {
        this.pipeline = pipeline;
        this.budgets = budgets;
        this.metrics = metrics;
    }

    /**
     * Results in completion order, each with the progress that counts it. Adding and emitting happen under the
     * tracker's lock: items finish on many threads at once, and without it two events could both say 3 of 3.
     */
    public Multi<BatchTracker.Step> classify(ValidatedRequest request, String tenant, BatchTracker tracker) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> cancelled.set(true));
            List<Item> items = request.items();
            AtomicInteger remaining = new AtomicInteger(items.size());
            Work work = new Work(Flow.request(UUID.randomUUID().toString(), tenant),
                    budgets.within(tenant, Budget.of(request.budgetUsd(), 0)),
                    cancelled::get);
            List<ItemPipeline.Entry> entries = IntStream.range(0, items.size())
                    .mapToObj(i -> new ItemPipeline.Entry(i, items.get(i))).toList();
            pipeline.run(Plan.of(request), work, entries, result -> {
                synchronized (tracker) {
                    emitter.emit(tracker.add(result));
                }
                if (remaining.decrementAndGet() == 0) {
                    metrics.requestCost("request", tracker.summary().costUsd());
                    emitter.complete();
                }
            });
        });
    }
}
