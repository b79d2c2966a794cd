package dev.catalogclassifier.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Redocly CLI ({@code npm install @redocly/cli}), which lints our OpenAPI document with its recommended rules. Found at
 * {@code CLASSIFIER_REDOCLY}, else as {@code redocly} on the PATH, else where {@code .ci/run} installs it
 * ({@code /opt/redocly}). The test that needs it skips where it is missing, unless
 * {@code CLASSIFIER_REQUIRE_REDOCLY=true} (CI sets it), where its absence fails it.
 */
public final class Redocly {

    private static final Path CI_INSTALL = Path.of("/opt/redocly/node_modules/.bin/redocly");

    private Redocly() {
    }

    /** The executable; skips the test (or, when required, fails it) where it is not installed. */
    public static Path require() {
        Optional<Path> found = find();
        if (Boolean.parseBoolean(System.getenv("CLASSIFIER_REQUIRE_REDOCLY"))) {
            assertThat(found).as("redocly is required here (CLASSIFIER_REQUIRE_REDOCLY=true): "
                    + "npm install --prefix /opt/redocly @redocly/cli, or set CLASSIFIER_REDOCLY").isPresent();
        }
        Assumptions.assumeTrue(found.isPresent(), "redocly is not installed (npm @redocly/cli); .ci/run installs it");
        return found.orElseThrow();
    }

    private static Optional<Path> find() {
        String configured = System.getenv("CLASSIFIER_REDOCLY");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "redocly"));
        return Stream.concat(onPath, Stream.of(CI_INSTALL)).filter(Files::isExecutable).findFirst();
    }
}
