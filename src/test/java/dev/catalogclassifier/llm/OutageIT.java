package dev.catalogclassifier.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.catalogclassifier.bench.OutageRun;

/**
 * The provider's port closed for over a minute in the middle of a job on the packaged jar, then opened again:
 * the job waits, says why, and ends with every item ok; nothing was asked twice but the calls cut off in flight.
 * {@code bench/outage.sh} runs the same with 3,000 items for docs/benchmarks.md.
 */
class OutageIT {

    @Test
    void aJobWaitsThroughAMinuteLongOutageAndLosesNothing() throws Exception {
        OutageRun.Report report = OutageRun.run(600, Duration.ofSeconds(65), Path.of("target", "outage-it"));

        assertThat(report.heldThroughout()).as("during the outage the job ran on with no item failed: %s", report).isTrue();
        assertThat(report.providerShownDown()).as("GET /api/v1/providers showed the provider down").isTrue();
        assertThat(report.metricShownDown()).as("classifier_provider_up showed 0").isTrue();
        assertThat(report.jobShownWaiting()).as("the job said it waits for the provider").isTrue();
        assertThat(report.finalJob().path("status").asText()).as(report.finalJob().toString()).isEqualTo("completed");
        assertThat(report.finalJob().path("counts").path("ok").asInt()).as(report.finalJob().toString()).isEqualTo(600);
        assertThat(report.finalJob().path("counts").path("failed").asInt()).isZero();
        assertThat(report.askedTwice()).as("items the provider received twice: only those cut off in flight")
                .isLessThanOrEqualTo(report.inFlightAtOutage());
    }
}
