package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.catalogclassifier.testsupport.JobsApi;
import dev.catalogclassifier.testsupport.ServiceProcess;

/**
 * Two pods of the packaged jar on one database with the in-process channel (no broker): work belongs to the pod
 * whose queue holds it, for as long as that pod renews its lease. A pod started mid-job takes none of a live pod's
 * items; a pod killed with {@code kill -9} loses its items to a live pod once its lease expires. Each pod calls the
 * fake provider with its own key, so the calls say which pod made them.
 */
class JobLeasesIT extends PackagedJarIT {

    private static final int CALLS_AT_ONCE = 16;

    @BeforeEach
    void reset() {
        fake.reset();
        fake.latency(Duration.ofMillis(200));
    }

    @Test
    void aPodStartedMidJobTakesNoneOfALivePodsItems() throws Exception {
        int items = 1_500;
        try (ServiceProcess a = pod("pod-a", "live-a.log")) {
            a.awaitOk("/api/v1/jobs");
            String id = JobsApi.submit(a.base(), items, i -> "MALM bed " + i + " live");
            await().atMost(Duration.ofMinutes(1)).until(() -> done(a.base(), id, items) >= items / 10);
            try (ServiceProcess b = pod("pod-b", "live-b.log")) {
                b.awaitOk("/api/v1/jobs");
                await().atMost(Duration.ofMinutes(3)).until(() -> "completed".equals(job(b.base(), id).path("status").asText()));
                assertEveryItemHasExactlyOneResult(b.base(), id, items);
            }
        }
        assertThat(fake.calls().stream().filter(c -> "pod-b".equals(c.key())).count())
                .as("calls the second pod made for the first one's live items").isZero();
        assertThat(fake.calls()).as("every item asked once").hasSize(items);
    }

    /**
     * In-process, each pod's queue dies with it and the leases hand its items over; with RabbitMQ both pods take
     * the job's messages from the broker, which redelivers what a killed pod had not acknowledged.
     */
    @ParameterizedTest(name = "profile {0}")
    @ValueSource(strings = { "prod", "prod,rabbitmq" })
    void podsKilledInTurnLoseNothingAndRepeatOnlyWhatWasInFlight(String profile) throws Exception {
        if (profile.contains("rabbitmq")) {
            assumeBroker();
        }
        this.profile = profile;
        int items = profile.contains("rabbitmq") ? 3_000 : 2_000;
        try {
            killInTurn(items);
        } finally {
            if (profile.contains("rabbitmq")) {
                dev.catalogclassifier.testsupport.MachineBroker.deleteQueue(queue);
            }
        }
    }

    private void killInTurn(int items) throws Exception {
        ServiceProcess a = pod("pod-a", "kill-a.log");
        ServiceProcess b = pod("pod-b", "kill-b.log");
        a.awaitOk("/api/v1/jobs");
        b.awaitOk("/api/v1/jobs");
        String id = JobsApi.submit(a.base(), items, i -> "MALM bed " + i + " killed " + profile);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> done(b.base(), id, items) >= items / 5);
        a.kill(); // every queued item was a's: b takes them over when a's lease has expired
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> done(b.base(), id, items) >= items / 2);
        b.kill();
        try (ServiceProcess a2 = pod("pod-a", "kill-a.log"); ServiceProcess b2 = pod("pod-b", "kill-b.log")) {
            a2.awaitOk("/api/v1/jobs");
            b2.awaitOk("/api/v1/jobs");
            await().atMost(Duration.ofMinutes(3)).until(() -> "completed".equals(job(b2.base(), id).path("status").asText()));
            assertEveryItemHasExactlyOneResult(a2.base(), id, items);
        }
        int twice = fake.calls().size() - items;
        System.out.printf("JobLeasesIT: %s: %d items, two kills, %d calls, %d made twice%n", profile, items,
                fake.calls().size(), twice);
        // an item runs again only if its call was in flight, or answered but not yet stored, when its pod died
        assertThat(twice).as("calls made twice").isBetween(0, 2 * (CALLS_AT_ONCE + 256));
    }

    /** The profile of the pods a test starts, and the broker queue they share (unique to this run). */
    private String profile = "prod";
    private final String queue = "catalog-classifier.job-items.leases-it-" + java.util.UUID.randomUUID();

    private ServiceProcess pod(String key, String log) throws IOException {
        return leasedPod(profile, queue, key, CALLS_AT_ONCE, Path.of("target", "leases-it", log));
    }
}
