package dev.catalogclassifier.classify;

import dev.catalogclassifier.llm.Usage;

/**
 * Running totals of one batch, fed one result at a time from many item threads. Progress and summary are
 * snapshots computed from the same numbers, so the last progress event and the summary always agree.
 */
public final class BatchTracker {

    private final int total;
    /** Whether the batch runs a cascade: only then does its summary report what the cascade settled. */
    private final boolean cascadeRun;
    private final long startNanos = System.nanoTime();
    private int done;
    private int succeeded;
    private int failed;
    private int rejected;
    private int cancelled;
    private int budgetExceeded;
    private int cached;
    private int settledLocally;
    private int review;
    private Usage usage = Usage.NONE;
    private final CascadeReport.Tally cascade = new CascadeReport.Tally();

    public BatchTracker(int total, Strategy strategy) {
        this.total = total;
        this.cascadeRun = strategy == Strategy.CASCADE;
    }

    /** A result and the batch's progress with it counted: what one SSE {@code item} and {@code progress} say. */
    public record Step(ItemResult result, Progress progress) {
    }

    /** Counts a result; the progress returned is the batch's with exactly this result added. */
    public synchronized Step add(ItemResult result) {
        count(result);
        return new Step(result, progress());
    }

    private void count(ItemResult result) {
        done++;
        switch (result.status()) {
            case OK -> succeeded++;
            case FAILED -> failed++;
            case REJECTED -> rejected++;
            case CANCELLED -> {
                cancelled++;
                budgetExceeded += result.stoppedByBudget() ? 1 : 0;
            }
        }
        if (result.cached()) {
            cached++;
        }
        if (result.settledLocally()) {
            settledLocally++;
        }
        if (result.forReview()) {
            review++;
        }
        if (result.saving() != null) {
            cascade.add(result.saving());
        }
        if (result.usage() != null) {
            usage = usage.plus(result.usage());
        }
    }

    public synchronized Progress progress() {
        double rate = rate();
        Double eta = rate > 0 ? (total - done) / rate : null;
        return new Progress(done, total, failed, round(rate), eta == null ? null : round(eta));
    }

    public synchronized Summary summary() {
        return new Summary(total, succeeded, failed, rejected, cancelled, cached, settledLocally, usage.promptTokens(),
                usage.completionTokens(), usage.costUsd(), elapsedMillis(), round(rate()), budgetExceeded, review,
                cascadeRun ? cascade.report() : null);
    }

    private double rate() {
        long ms = elapsedMillis();
        return ms == 0 ? 0 : done * 1000.0 / ms;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
