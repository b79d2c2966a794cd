package dev.catalogclassifier.job;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.csv.CsvTable;
import io.smallrye.mutiny.Multi;

/**
 * A job's results as CSV that Excel opens cleanly (see {@link CsvTable}). Rows are read and written a page at a time, so 100,000 results never sit in memory at once.
 */
@ApplicationScoped
public class CsvExport {

    static final CsvTable TABLE = new CsvTable("index", "id", "status", "category", "confidence", "chance", "review", "error_code",
            "error_message", "attempts", "latency_ms", "cached", "model", "prompt_tokens", "cached_tokens",
            "completion_tokens", "cost_usd");
    private static final int PAGE = 1_000;

    private final JobService jobs;

    public CsvExport(JobService jobs) {
        this.jobs = jobs;
    }

    public Multi<String> export(UUID jobId, JobService.Filter filter) {
        AtomicInteger offset = new AtomicInteger();
        Multi<String> rows = Multi.createBy().repeating()
                .uni(() -> jobs.results(jobId, filter, offset.getAndAdd(PAGE), PAGE))
                .whilst(page -> page.size() == PAGE)
                .map(page -> TABLE.rows(page.stream().map(CsvExport::row).toList()));
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(TABLE.header()), rows);
    }

    static List<Object> row(JobItem row) {
        return Arrays.asList(row.idx, row.itemId, row.status, row.category, row.confidence, row.chance,
                "ok".equals(row.status) ? row.review : null, row.errorCode,
                row.errorMessage, row.attempts, row.latencyMs, row.cached, row.model, row.promptTokens,
                row.cachedTokens, row.completionTokens, String.format(Locale.ROOT, "%.8f", row.costUsd));
    }
}
