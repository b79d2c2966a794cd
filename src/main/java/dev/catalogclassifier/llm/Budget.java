package dev.catalogclassifier.llm;

/**
 * A spending limit for one request or job. Before an item goes to the model it reserves what it is expected to
 * cost: the larger of the price table's estimate for its prompt and the average cost of the items finished so
 * far (which includes asking again after unusable answers). An item whose reservation would take the projected
 * spend (spent + reserved) past the limit is not scheduled, and neither is any later one: once exceeded, a
 * budget stays exceeded, so a job does not trickle on with the cheapest items.
 */
public final class Budget {

    private static final Budget UNLIMITED = new Budget(Double.POSITIVE_INFINITY, 0);

    private final double limitUsd;
    private double spentUsd;
    private double reservedUsd;
    private int settled;
    private double settledUsd;
    private boolean exceeded;

    private Budget(double limitUsd, double spentUsd) {
        this.limitUsd = limitUsd;
        this.spentUsd = spentUsd;
    }

    /** {@code spentUsd}: what was spent before this budget started counting (a job resumed on another pod). */
    public static Budget of(Double limitUsd, double spentUsd) {
        return limitUsd == null ? UNLIMITED : new Budget(limitUsd, spentUsd);
    }

    public boolean limited() {
        return this != UNLIMITED;
    }

    /** What one item holds of the budget while it runs. */
    public record Reservation(double usd) {
    }

    /** Reserves an item's expected cost; null when the budget cannot take it (the item is not to be sent). */
    public synchronized Reservation reserve(double estimateUsd) {
        if (!limited()) {
            return new Reservation(0);
        }
        double expected = settled == 0 ? estimateUsd : Math.max(estimateUsd, settledUsd / settled);
        if (exceeded || spentUsd + reservedUsd + expected > limitUsd) {
            exceeded = true;
            return null;
        }
        reservedUsd += expected;
        return new Reservation(expected);
    }

    /** The item finished, having cost {@code actualUsd}. */
    public synchronized void settle(Reservation reservation, double actualUsd) {
        if (!limited()) {
            return;
        }
        reservedUsd = Math.max(0, reservedUsd - reservation.usd());
        spentUsd += actualUsd;
        settled++;
        settledUsd += actualUsd;
    }

    public synchronized boolean exceeded() {
        return exceeded;
    }
}
