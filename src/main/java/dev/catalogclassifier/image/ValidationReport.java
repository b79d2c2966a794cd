package dev.catalogclassifier.image;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.catalogclassifier.tabular.CsvTable;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /api/v1/images/validations}'s answer: every photo with its checks, and a summary. The same report
 * is offered as CSV, one row per check.
 */
@RegisterForReflection
public record ValidationReport(List<PhotoReport> images, Summary summary) {

    /** Counts, and how many photos failed each check. */
    @Schema(name = "ValidationSummary")
    public record Summary(int total, int valid, int invalid, Map<String, Integer> failedChecks, long durationMs,
            double imagesPerSecond) {
    }

    static ValidationReport of(List<PhotoReport> images, long durationMs) {
        Map<String, Integer> failed = new TreeMap<>();
        images.forEach(i -> i.checks().stream().filter(c -> !c.passed()).forEach(c -> failed.merge(c.code(), 1, Integer::sum)));
        int valid = (int) images.stream().filter(PhotoReport::valid).count();
        return new ValidationReport(images, new Summary(images.size(), valid, images.size() - valid, failed, durationMs,
                durationMs == 0 ? images.size() : Math.round(images.size() * 1000.0 / durationMs * 10) / 10.0));
    }

    private static final CsvTable TABLE = new CsvTable("name", "valid", "check", "value", "threshold", "passed");

    /** One row per check: {@code name,valid,check,value,threshold,passed} (see {@link CsvTable}). */
    String csv() {
        return TABLE.table(images.stream().flatMap(image -> image.checks().stream().map(check -> java.util.Arrays
                .<Object>asList(image.name(), image.valid(), check.code(), check.value(), check.threshold(), check.passed())))
                .toList());
    }
}
