package dev.catalogclassifier.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.tabular.CsvTable;
import dev.catalogclassifier.tabular.XlsxTable;
import io.smallrye.mutiny.Multi;

/**
 * A job's results as a file that stands alone: the input's columns, in its order and spelling (so an uploaded
 * spreadsheet comes back with its own columns, {@code brand} and all), then what the service found: {@code category,
 * confidence, review, error} first, then the details. One row per item, in the input's order. CSV (see
 * {@link CsvTable}) or XLSX (see {@link XlsxTable}); rows are read and written a page at a time, so 100,000 results
 * never sit in memory at once.
 */
@ApplicationScoped
public class ResultFiles {

    /** What the service adds after the input's columns, the four a catalogue team reads first. */
    static final List<String> RESULT_COLUMNS = List.of("category", "confidence", "review", "error", "error_message",
            "status", "chance", "attempts", "latency_ms", "cached", "model", "prompt_tokens", "cached_tokens",
            "completion_tokens", "cost_usd", "index");
    private static final int PAGE = 1_000;

    private final JobService jobs;
    private final ObjectMapper json;

    public ResultFiles(JobService jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    public Multi<String> csv(Job job, JobService.Filter filter) {
        InputColumns input = jobs.columns(job);
        CsvTable table = new CsvTable(header(input));
        Multi<String> rows = pages(job.id, filter).map(page -> table.rows(rows(input, page)));
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(table.header()), rows);
    }

    public Multi<byte[]> xlsx(Job job, JobService.Filter filter) {
        InputColumns input = jobs.columns(job);
        XlsxTable.Writer workbook = new XlsxTable(header(input)).open("Results");
        Multi<byte[]> rows = pages(job.id, filter).map(page -> workbook.rows(rows(input, page)));
        return Multi.createBy().concatenating().streams(rows, Multi.createFrom().item(workbook::finish))
                .select().where(bytes -> bytes.length > 0);
    }

    /** The input's columns, then the results'; one that an input column already names is {@code result_…}. */
    static List<String> header(InputColumns input) {
        List<String> header = new ArrayList<>(input.names());
        for (String column : RESULT_COLUMNS) {
            boolean taken = input.names().stream().anyMatch(name -> name.strip().equalsIgnoreCase(column));
            header.add(taken ? "result_" + column : column);
        }
        return header;
    }

    private Multi<List<JobItem>> pages(UUID jobId, JobService.Filter filter) {
        AtomicInteger offset = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> jobs.results(jobId, filter, offset.getAndAdd(PAGE), PAGE))
                .whilst(page -> page.size() == PAGE);
    }

    private List<List<Object>> rows(InputColumns input, List<JobItem> page) {
        Function<JobItem, List<Object>> row = item -> {
            List<Object> values = input.values(item.item(json));
            values.addAll(results(item));
            return values;
        };
        return page.stream().map(row).toList();
    }

    private static List<Object> results(JobItem row) {
        boolean ok = "ok".equals(row.status);
        List<Object> values = new ArrayList<>(RESULT_COLUMNS.size());
        values.add(row.category);
        values.add(row.confidence);
        values.add(ok ? row.review : null);
        values.add(row.errorCode);
        values.add(row.errorMessage);
        values.add(row.status.toLowerCase(Locale.ROOT));
        values.add(row.chance);
        values.add(row.attempts);
        values.add(row.latencyMs);
        values.add(row.cached);
        values.add(row.model);
        values.add(row.promptTokens);
        values.add(row.cachedTokens);
        values.add(row.completionTokens);
        values.add(row.costUsd);
        values.add(row.idx);
        return values;
    }
}
