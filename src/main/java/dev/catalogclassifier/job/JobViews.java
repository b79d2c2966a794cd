package dev.catalogclassifier.job;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.llm.PriceTable;
import dev.catalogclassifier.llm.ProviderPool;

/** Builds the {@link JobView} of a job as it stands now: its costs by the price table, and what it waits for. */
@ApplicationScoped
public class JobViews {

    private final PriceTable prices;
    private final ProviderPool providers;

    public JobViews(PriceTable prices, ProviderPool providers) {
        this.prices = prices;
        this.providers = providers;
    }

    public JobView of(Job job) {
        return JobView.of(job, Instant.now(), prices, providers);
    }
}
