package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

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

    /** A fresh headless browser with its own profile, saving downloads to {@code downloads} without asking. */
    public static ChromeDriver start(Path downloads) throws IOException {
        Files.createDirectories(downloads);
        ChromeOptions options = new ChromeOptions().setBinary(BINARY.toFile()).addArguments(FLAGS)
                .addArguments("--user-data-dir=" + Files.createTempDirectory("chromium-profile"))
                .setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                        "download.prompt_for_download", false));
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(driver, options);
        browser.manage().window().setSize(new Dimension(1280, 1000));
        return browser;
    }

    /** How long a page test waits for the page to show something: generous, since it costs time only on failure. */
    public static final java.time.Duration PATIENCE = java.time.Duration.ofSeconds(60);

    /**
     * An await for the page, up to {@link #PATIENCE}: the page re-renders lists as events arrive, so an element found
     * in one poll may be gone when it is read; that poll is not an answer, and the next one reads the page again.
     */
    public static ConditionFactory awaitPage() {
        return Awaitility.await().atMost(PATIENCE).ignoreException(StaleElementReferenceException.class);
    }

    public static boolean installedOrRequired() {
        return (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER))
                || Boolean.parseBoolean(System.getenv("CLASSIFIER_REQUIRE_BROWSER"));
    }
}
