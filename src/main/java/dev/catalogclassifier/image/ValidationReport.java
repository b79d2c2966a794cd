package dev.catalogclassifier.image;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /api/v1/images/validations}'s answer: every photo with its checks, and a summary. The same report
 * is offered as CSV, one row per check.
 */
@RegisterForReflection
public record ValidationReport(List<PhotoReport> images, Summary summary) {

    /** Counts, and how many photos failed each check. */
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

    /** RFC 4180, UTF-8 with a BOM for Excel: {@code name,valid,check,value,threshold,passed}. */
    String csv() {
        StringBuilder out = new StringBuilder("\uFEFFname,valid,check,value,threshold,passed\r\n");
        for (PhotoReport image : images) {
            for (PhotoCheck check : image.checks()) {
                out.append(quote(image.name())).append(',').append(image.valid()).append(',').append(check.code())
                        .append(',').append(check.value() == null ? "" : check.value()).append(',')
                        .append(check.threshold() == null ? "" : check.threshold()).append(',').append(check.passed())
                        .append("\r\n");
            }
        }
        return out.toString();
    }

    private static String quote(String value) {
        boolean plain = value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
        return plain ? value : '"' + value.replace("\"", "\"\"") + '"';
    }
}
