package dev.catalogclassifier.batchapi;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How jobs with {@code execution: batch-api} use the OpenAI Batch API. */
@ConfigMapping(prefix = "classifier.batch-api")
public interface BatchApiConfig {

    /** Requests per uploaded file; OpenAI takes at most 50,000. A larger job is split over several batches. */
    @WithDefault("50000")
    int maxRequestsPerFile();

    /** Bytes per uploaded file; OpenAI takes at most 200 MB. */
    @WithDefault("200000000")
    long maxFileBytes();

    /** The completion window asked for; OpenAI offers 24h. */
    @WithDefault("24h")
    String completionWindow();

    /** How often this pod looks for batches to upload, create, poll or cancel (1s at the least). */
    @WithDefault("5s")
    Duration tick();

    /** The wait before a batch's first status poll; it doubles after each poll up to {@link #maxPollInterval()}. */
    @WithDefault("15s")
    Duration firstPollInterval();

    /** The longest wait between two polls of one batch. */
    @WithDefault("5m")
    Duration maxPollInterval();

    /**
     * How long one pod holds a batch it is working on before another may take it over. A pod that dies while it
     * holds one leaves that batch waiting this long; longer than the slowest step (a 200 MB upload).
     */
    @WithDefault("2m")
    Duration claimFor();
}
