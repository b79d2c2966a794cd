package dev.catalogclassifier.job;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;

/**
 * A job's results as CSV that Excel opens cleanly: a UTF-8 byte-order mark, CRLF line ends and RFC 4180
 * quoting. Rows are read and written a page at a time, so 100,000 results never sit in memory at once.
 */
@ApplicationScoped
public class CsvExport {

    static final String HEADER = "index,id,status,category,confidence,error_code,error_message,attempts,"
            + "latency_ms,cached,model,prompt_tokens,cached_tokens,completion_tokens,cost_usd";
    private static final int PAGE = 1_000;

    private final JobService jobs;

    public CsvExport(JobService jobs) {
        this.jobs = jobs;
    }

    public Multi<String> export(UUID jobId, String status) {
        AtomicInteger offset = new AtomicInteger();
        Multi<String> rows = Multi.createBy().repeating()
                .uni(() -> jobs.results(jobId, status, offset.getAndAdd(PAGE), PAGE))
                .whilst(page -> page.size() == PAGE)
                .map(CsvExport::lines);
        return Multi.createBy().concatenating().streams(Multi.createFrom().item("\uFEFF" + HEADER + "\r\n"), rows);
    }

    private static String lines(List<JobItem> page) {
        StringBuilder out = new StringBuilder(page.size() * 120);
        page.forEach(row -> out.append(line(row)).append("\r\n"));
        return out.toString();
    }

    static String line(JobItem row) {
        return String.join(",", String.valueOf(row.idx), quote(row.itemId), row.status, quote(row.category),
                row.confidence == null ? "" : String.valueOf(row.confidence), quote(row.errorCode),
                quote(row.errorMessage), String.valueOf(row.attempts), String.valueOf(row.latencyMs),
                String.valueOf(row.cached), quote(row.model), String.valueOf(row.promptTokens),
                String.valueOf(row.cachedTokens), String.valueOf(row.completionTokens),
                String.format(Locale.ROOT, "%.8f", row.costUsd));
    }

    /** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling its quotes. */
    static String quote(String value) {
        if (value == null) {
            return "";
        }
        if (value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
