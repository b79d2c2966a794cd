package dev.catalogclassifier.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** One configuration's numbers, and the Markdown table that compares them with the first configuration. */
record RunReport(String label, int items, double wallSeconds, double itemsPerSecond, long firstEventMs,
        long overheadP50Ms, long overheadP99Ms, long peakRssMb, int providerMaxConcurrent, String statuses,
        int distinctIds) {

    static RunReport of(String label, Load.Result result, Duration providerLatency, int maxConcurrent, long rssKb) {
        List<Long> overhead = new ArrayList<>();
        result.latenciesMs().forEach(ms -> overhead.add(ms - providerLatency.toMillis()));
        Collections.sort(overhead);
        double wall = result.wall().toNanos() / 1e9;
        return new RunReport(label, result.items(), wall, result.items() / wall, result.firstEvent().toMillis(),
                percentile(overhead, 0.50), percentile(overhead, 0.99), rssKb / 1024, maxConcurrent,
                result.statuses().toString(), result.distinctIds());
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %d | %d | %d | %d | %d | %s, %d distinct ids |",
                label, items, wallSeconds, itemsPerSecond, firstEventMs, overheadP50Ms, overheadP99Ms, peakRssMb,
                providerMaxConcurrent, statuses, distinctIds);
    }

    static String table(List<RunReport> reports) {
        StringBuilder out = new StringBuilder("| run | items | wall s | items/s | first event ms | overhead p50 ms "
                + "| overhead p99 ms | peak RSS MB | max concurrent provider calls | outcomes |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        reports.forEach(r -> out.append(r.row()).append('\n'));
        RunReport first = reports.getFirst();
        for (RunReport other : reports.subList(1, reports.size())) {
            out.append(String.format(Locale.ROOT, "%nThroughput %s / %s: %.2fx; wall time %s / %s: %.2fx; "
                    + "peak RSS %s / %s: %.2fx%n", first.label, other.label, first.itemsPerSecond / other.itemsPerSecond,
                    other.label, first.label, other.wallSeconds / first.wallSeconds, first.label, other.label,
                    (double) first.peakRssMb / other.peakRssMb));
        }
        return out.toString();
    }
}
