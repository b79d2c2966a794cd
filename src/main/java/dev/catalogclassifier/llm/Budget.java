package dev.catalogclassifier.llm;

/**
 * A spending limit for one request or job. Before an item goes to the model it reserves what it is expected to
 * cost: the larger of the price table's estimate for its prompt and the average cost of the items finished so
 * far (which includes asking again after unusable answers). An item whose reservation would take the projected
 * spend (spent + reserved) past the limit is not scheduled, and neither is any later one: once exceeded, a
 * budget stays exceeded, so a job does not trickle on with the cheapest items.
 * <p>
 * A budget may also draw on its tenant's {@link Allowance} (its daily and monthly budgets): an item is sent only
 * when both take its reservation.
 */
public final class Budget {

    /** What a tenant may still spend; shared by every budget of its work (the tenant feature keeps it). */
    public interface Allowance {

        /**
         * Reserves an item expected to cost {@code usd} (or more: the allowance may know its tenant's items cost
         * more), answering what it took; empty, taking nothing, when that would pass a limit.
         */
        java.util.OptionalDouble reserve(double usd);

        /** An item that reserved {@code reservedUsd} finished, having cost {@code actualUsd}. */
        void settle(double reservedUsd, double actualUsd);
    }

    /** Puts a request's or job's budget within its tenant's allowance (implemented by the tenant feature). */
    public interface TenantBudgets {

        /** {@code budget}, drawing on {@code tenant}'s allowance too when the tenant has a budget. */
        Budget within(String tenant, Budget budget);

        /**
         * Spending of {@code tenant} that no reservation of this pod holds, counted against its budgets: a Batch API
         * batch's correction when its results come, the difference between what they cost and the estimate booked
         * when it was planned (negative when they cost less, or failed).
         */
        void spent(String tenant, double usd);
    }

    private static final Budget UNLIMITED = new Budget(Double.POSITIVE_INFINITY, 0, null);

    private final double limitUsd;
    private final Allowance allowance;
    private double spentUsd;
    private double reservedUsd;
    private int settled;
    private double settledUsd;
    private boolean exceeded;

    private Budget(double limitUsd, double spentUsd, Allowance allowance) {
        this.limitUsd = limitUsd;
        this.spentUsd = spentUsd;
        this.allowance = allowance;
    }

    /** {@code spentUsd}: what was spent before this budget started counting (a job resumed on another pod). */
    public static Budget of(Double limitUsd, double spentUsd) {
        return limitUsd == null ? UNLIMITED : new Budget(limitUsd, spentUsd, null);
    }

    /** This budget (unused yet), also drawing on {@code allowance}. */
    public Budget drawingOn(Allowance allowance) {
        return new Budget(limitUsd, spentUsd, allowance);
    }

    public boolean limited() {
        return this != UNLIMITED;
    }

    /** What one item holds of the budget while it runs, and of its tenant's allowance. */
    public record Reservation(double usd, double tenantUsd) {
    }

    /** Reserves an item's expected cost; null when the budget cannot take it (the item is not to be sent). */
    public synchronized Reservation reserve(double estimateUsd) {
        if (!limited()) {
            return new Reservation(0, 0);
        }
        double expected = settled == 0 ? estimateUsd : Math.max(estimateUsd, settledUsd / settled);
        if (exceeded || spentUsd + reservedUsd + expected > limitUsd) {
            exceeded = true;
            return null;
        }
        java.util.OptionalDouble tenant = allowance == null ? java.util.OptionalDouble.of(0) : allowance.reserve(expected);
        if (tenant.isEmpty()) {
            exceeded = true;
            return null;
        }
        reservedUsd += expected;
        return new Reservation(expected, tenant.getAsDouble());
    }

    /** The item finished, having cost {@code actualUsd}. */
    public synchronized void settle(Reservation reservation, double actualUsd) {
        if (!limited()) {
            return;
        }
        if (allowance != null) {
            allowance.settle(reservation.tenantUsd(), actualUsd);
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
