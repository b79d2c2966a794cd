package dev.catalogclassifier.tenant;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.llm.Budget;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tenants' daily and monthly budgets, kept across pods in {@code tenant_spend}. Each budgeted tenant has one
 * {@link TenantAccount} per pod; about once a second this pod adds what its items cost since the last time and
 * reads back the totals, which include the other pods' spending. So pods overshoot a budget by at most what they
 * reserve in that second; items reserve before they are sent, so no pod overshoots by more than its items in
 * flight plus that second's.
 */
@ApplicationScoped
public class TenantSpending implements Budget.TenantBudgets {

    /** How often spending is written and the totals read back. */
    static final Duration SYNC = Duration.ofSeconds(1);
    private static final Duration DATABASE_WAIT = Duration.ofSeconds(10);

    private final Tenants tenants;
    private final Pool pool;
    private final Map<String, TenantAccount> accounts = new ConcurrentHashMap<>();
    private final Thread syncer;
    private volatile boolean closed;

    public TenantSpending(Tenants tenants, Pool pool) {
        this.tenants = tenants;
        this.pool = pool;
        this.syncer = Thread.ofPlatform().daemon().name("tenant-spending").unstarted(this::syncLoop);
        syncer.start();
    }

    @Override
    public Budget within(String tenant, Budget budget) {
        TenantAccount account = account(tenant);
        return account == null ? budget : budget.drawingOn(account);
    }

    @Override
    public void spent(String tenant, double usd) {
        TenantAccount account = account(tenant);
        if (account != null) {
            account.spent(usd);
        }
    }

    /** The tenant's account; null when it has no budget, so nothing of its spending needs counting. */
    private TenantAccount account(String tenant) {
        TenantConfig.Limits limits = tenants.limits(tenant);
        if (limits == null || limits.dailyBudgetUsd().isEmpty() && limits.monthlyBudgetUsd().isEmpty()) {
            return null;
        }
        return accounts.computeIfAbsent(tenant, t -> new TenantAccount(t,
                limits.dailyBudgetUsd().orElse(Double.POSITIVE_INFINITY),
                limits.monthlyBudgetUsd().orElse(Double.POSITIVE_INFINITY), this::load));
    }

    /** What {@code tenant} spent on {@code day} and in its month, all pods together. */
    private TenantAccount.Totals load(String tenant, LocalDate day) {
        return await(() -> pool.preparedQuery("""
                        SELECT period, usd FROM tenant_spend
                        WHERE tenant = $1 AND (period = 'day' AND period_start = $2 OR period = 'month' AND period_start = $3)""")
                .execute(Tuple.of(tenant, day, day.withDayOfMonth(1)))
                .map(rows -> totals(day, rows)));
    }

    /** Adds {@code usd} to the tenant's day and month, answering the totals after. */
    private TenantAccount.Totals add(String tenant, LocalDate day, double usd) {
        return await(() -> pool.preparedQuery("""
                        INSERT INTO tenant_spend (tenant, period, period_start, usd)
                        VALUES ($1, 'day', $2, $4), ($1, 'month', $3, $4)
                        ON CONFLICT (tenant, period, period_start) DO UPDATE SET usd = tenant_spend.usd + EXCLUDED.usd
                        RETURNING period, usd""")
                .execute(Tuple.of(tenant, day, day.withDayOfMonth(1), usd))
                .map(rows -> totals(day, rows)));
    }

    /**
     * The totals a query answers, within {@link #DATABASE_WAIT}. Both callers count a failure as "not synced yet" and
     * go on with this pod's own spending, so an interrupt (the service stopping) is one too, with the flag kept.
     */
    private static TenantAccount.Totals await(Supplier<Uni<TenantAccount.Totals>> query) {
        try {
            return Blocking.await(query, DATABASE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while reading the tenant's spending", e);
        }
    }

    /** The day's and month's rows as totals; a period without a row has spent nothing. */
    private static TenantAccount.Totals totals(LocalDate day, Iterable<Row> rows) {
        double daily = 0;
        double monthly = 0;
        for (Row row : rows) {
            if (row.getString("period").equals("day")) {
                daily = row.getDouble("usd");
            } else {
                monthly = row.getDouble("usd");
            }
        }
        return new TenantAccount.Totals(day, daily, monthly);
    }

    private void syncLoop() {
        while (!closed) {
            try {
                Thread.sleep(SYNC);
            } catch (InterruptedException e) {
                return;
            }
            accounts.values().forEach(this::sync);
        }
    }

    /** Writes what the account spent since the last sync, and takes the totals that include every pod's. */
    private void sync(TenantAccount account) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        double unsynced = account.takeUnsynced();
        try {
            account.synced(unsynced != 0 ? add(account.tenant(), today, unsynced) : load(account.tenant(), today));
        } catch (RuntimeException e) {
            account.unsynced(unsynced); // kept for the next try: spending is never dropped
            Log.warnf("Tenant %s's spending could not be synced with the database (%s); its budget counts this pod's "
                    + "spending only until it can", account.tenant(), e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        closed = true;
        syncer.interrupt();
        accounts.values().forEach(this::sync); // what this pod spent last still counts
    }
}
