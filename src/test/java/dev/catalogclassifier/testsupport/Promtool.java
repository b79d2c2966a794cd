package dev.catalogclassifier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's {@code promtool} (Debian package {@code prometheus}), which lints our metrics and alert rules. Tests that
 * need it skip where it is missing, unless {@code CLASSIFIER_REQUIRE_PROMTOOL=true} (CI sets it, as it does for the
 * broker and the browser), where its absence fails them.
 */
public final class Promtool {

    private static final Path PATH = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    /** The executable; skips the test (or, when required, fails it) where it is not installed. */
    public static Path require() {
        boolean present = Files.isExecutable(PATH);
        if (Boolean.parseBoolean(System.getenv("CLASSIFIER_REQUIRE_PROMTOOL"))) {
            assertThat(present).as(PATH + " is required here (CLASSIFIER_REQUIRE_PROMTOOL=true): apt-get install prometheus")
                    .isTrue();
        }
        Assumptions.assumeTrue(present, "promtool is not installed (Debian package prometheus); .ci/run installs it");
        return PATH;
    }
}
