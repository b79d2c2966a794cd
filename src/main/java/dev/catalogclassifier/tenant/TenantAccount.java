package dev.catalogclassifier.tenant;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

import dev.catalogclassifier.llm.Budget;
import io.quarkus.logging.Log;

/**
 * One budgeted tenant's spending as this pod sees it: the totals of every pod at the last sync, what this pod spent
 * since, and what its items in flight have reserved. An item is sent only while all three and its own reservation
 * stay within the tenant's day and month (UTC).
 */
final class TenantAccount implements Budget.Allowance {

    /** A tenant's spending on one UTC day and in its month, every pod's. */
    record Totals(LocalDate day, double dailyUsd, double monthlyUsd) {
    }

    private final String tenant;
    private final double dailyLimitUsd;
    private final double monthlyLimitUsd;
    private final BiFunction<String, LocalDate, Totals> loader;
    private Totals synced;
    private double unsyncedUsd;
    /** Taken by a sync that has not answered yet: still counted, or it would be missing until the totals come. */
    private double syncingUsd;
    private double reservedUsd;
    /** Items of this tenant finished on this pod, and what they cost: the average an item is expected to cost. */
    private long settled;
    private double settledUsd;

    TenantAccount(String tenant, double dailyLimitUsd, double monthlyLimitUsd, BiFunction<String, LocalDate, Totals> loader) {
        this.tenant = tenant;
        this.dailyLimitUsd = dailyLimitUsd;
        this.monthlyLimitUsd = monthlyLimitUsd;
        this.loader = loader;
    }

    String tenant() {
        return tenant;
    }

    /**
     * Reserves the larger of the item's estimate and what this tenant's items cost on average so far: estimates
     * run low (they cannot count asking again), and across requests and jobs the tenant's average knows better.
     */
    @Override
    public synchronized OptionalDouble reserve(double usd) {
        Totals totals = current();
        double expected = settled == 0 ? usd : Math.max(usd, settledUsd / settled);
        double local = unsyncedUsd + syncingUsd + reservedUsd + expected;
        if (totals.dailyUsd() + local > dailyLimitUsd || totals.monthlyUsd() + local > monthlyLimitUsd) {
            return OptionalDouble.empty();
        }
        reservedUsd += expected;
        return OptionalDouble.of(expected);
    }

    @Override
    public synchronized void settle(double reservedUsd, double actualUsd) {
        this.reservedUsd = Math.max(0, this.reservedUsd - reservedUsd);
        unsyncedUsd += actualUsd;
        settled++;
        settledUsd += actualUsd;
    }

    /** Spending no reservation held (a batch's correction): counted, but not in the average an item costs. */
    synchronized void spent(double usd) {
        unsyncedUsd += usd;
    }

    /** What this pod spent since the last sync, now to be written; zero after. */
    synchronized double takeUnsynced() {
        double taken = unsyncedUsd;
        unsyncedUsd = 0;
        syncingUsd = taken;
        return taken;
    }

    /** A sync failed: {@code usd} goes back, to be written next time. */
    synchronized void unsynced(double usd) {
        unsyncedUsd += usd;
        syncingUsd = 0;
    }

    /** A sync answered: {@code totals} include what it wrote. */
    synchronized void synced(Totals totals) {
        synced = totals;
        syncingUsd = 0;
    }

    /**
     * The totals for today: the last sync's, read from the database on the first item (it blocks: items run on
     * virtual threads). A new day starts at zero until the next sync; a new month too.
     */
    private Totals current() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (synced == null) {
            try {
                synced = loader.apply(tenant, today);
            } catch (RuntimeException e) {
                Log.warnf("Tenant %s's spending so far could not be read (%s); until it can, its budget counts this "
                        + "pod's spending only", tenant, e.getMessage());
                synced = new Totals(today, 0, 0);
            }
        }
        if (!synced.day().equals(today)) {
            boolean sameMonth = synced.day().withDayOfMonth(1).equals(today.withDayOfMonth(1));
            synced = new Totals(today, 0, sameMonth ? synced.monthlyUsd() : 0);
        }
        return synced;
    }
}
