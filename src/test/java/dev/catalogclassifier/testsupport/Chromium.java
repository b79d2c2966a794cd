package dev.catalogclassifier.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine's headless Chromium (Debian's chromium and chromium-driver) for the browser tests, which are
 * skipped where it is missing unless {@code CLASSIFIER_REQUIRE_BROWSER=true} (CI sets it, so they never skip
 * there). Use with {@code @EnabledIf(value = Chromium.ENABLED, disabledReason = Chromium.MISSING)}.
 */
public final class Chromium {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final String ENABLED = "dev.catalogclassifier.testsupport.Chromium#installedOrRequired";
    public static final String MISSING = "no chromium/chromedriver on this machine (apt-get install chromium "
            + "chromium-driver); CI sets CLASSIFIER_REQUIRE_BROWSER=true so it runs there";
    /** Without the networking flags Chromium keeps calling Google's hosts, which this closed network refuses. */
    public static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-component-update", "--disable-sync");

    private Chromium() {
    }

    public static boolean installedOrRequired() {
        return (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER))
                || Boolean.parseBoolean(System.getenv("CLASSIFIER_REQUIRE_BROWSER"));
    }
}
