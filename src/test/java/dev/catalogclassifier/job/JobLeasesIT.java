package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.catalogclassifier.testsupport.FakeOpenAi;
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

    /**
     * Two pods on the same two keys (600 a minute each, enforced per second), of a provider that states only its
     * limit and of one that sends the full headers: with the limit alone each pod paces to its share of it; with
     * the full headers every pod reads the provider's shared {@code remaining} and refills at its share of the
     * key's rate. Together they stay inside the keys' limits either way. The full-header provider is OpenAI's
     * bucket, a minute's requests at the start, refilled evenly, so its pods get twice the items, or the whole job
     * would fit in the first bucket. (A provider without headers is left out: each pod learns its own share from
     * 429s, docs/benchmarks.md has the figures.)
     */
    @ParameterizedTest(name = "headers {0}")
    @EnumSource(value = FakeOpenAi.Headers.class, names = { "LIMIT_ONLY", "FULL" })
    void podsSharingKeysStayInsideTheirLimitsTogether(FakeOpenAi.Headers headers) throws Exception {
        int perPod = headers == FakeOpenAi.Headers.FULL ? 1_200 : 600;
        fake.latency(Duration.ofMillis(100));
        for (String key : new String[] { "shared-a", "shared-b" }) {
            fake.limitKey(key, 600, Duration.ofMinutes(1), headers, Duration.ofSeconds(1));
        }
        try (ServiceProcess a = pod("shared-a,shared-b", "share-a.log"); ServiceProcess b = pod("shared-a,shared-b", "share-b.log")) {
            a.awaitOk("/api/v1/jobs");
            b.awaitOk("/api/v1/jobs");
            // each pod counts the live pods at its renewals: both must know of the other before the work starts
            await().atMost(Duration.ofSeconds(30)).until(() -> JobsApi.get(a.base(), "/api/v1/providers").path("shared_by_pods").asInt() == 2
                    && JobsApi.get(b.base(), "/api/v1/providers").path("shared_by_pods").asInt() == 2);
            String first = JobsApi.submit(a.base(), perPod, i -> "MALM bed " + i + " shared a");
            String second = JobsApi.submit(b.base(), perPod, i -> "MALM bed " + i + " shared b");
            await().atMost(Duration.ofMinutes(3)).until(() -> "completed".equals(job(a.base(), first).path("status").asText())
                    && "completed".equals(job(b.base(), second).path("status").asText()));
            assertThat(job(a.base(), first).path("counts").path("ok").asInt()).isEqualTo(perPod);
            assertThat(job(b.base(), second).path("counts").path("ok").asInt()).isEqualTo(perPod);
        }
        var calls = fake.calls();
        long limited = calls.stream().filter(c -> c.status() == 429).count();
        // the use of the limits is measured while both pods have work: once the first job is done its pod is idle,
        // and the other goes on at its share of the live pods (an idle pod's share is not lent; docs/benchmarks.md),
        // for a tail whose length is luck of which job got ahead
        long bothBusy = Math.min(fake.callsFor("shared a").getLast().receivedNanos(),
                fake.callsFor("shared b").getLast().receivedNanos());
        long ok = calls.stream().filter(c -> c.status() == 200 && c.receivedNanos() <= bothBusy).count();
        double seconds = (bothBusy - calls.getFirst().receivedNanos()) / 1e9;
        // what two keys at 600 a minute admit over that time: 10 a second each, and with OpenAI's bucket the full
        // minute's worth it starts with
        double admissible = 2 * (10 * seconds + (headers == FakeOpenAi.Headers.FULL ? 600 : 0));
        double used = ok / admissible;
        System.out.printf("JobLeasesIT: two pods on two keys with headers %s: %d calls, %d answered 429 (%.2f %%); while both "
                + "had work %d ok, %.1f %% of the keys' limits over %.1f s (the run: %.1f s)%n", headers, calls.size(), limited,
                100.0 * limited / calls.size(), ok, 100 * used, seconds,
                (calls.getLast().receivedNanos() - calls.getFirst().receivedNanos()) / 1e9);
        System.out.println("JobLeasesIT: calls ok / answered 429 per 10 s: " + perTenSeconds(calls));
        assertThat((double) limited / calls.size()).as("share of calls answered 429")
                .isLessThanOrEqualTo(0.01);
        assertThat(used).as("share of the two keys' limits used").isGreaterThanOrEqualTo(0.85);
    }

    /** "ok/429" for each 10 seconds from the first call, to show where a run lost pace. */
    private static String perTenSeconds(java.util.List<FakeOpenAi.Call> calls) {
        long first = calls.getFirst().receivedNanos();
        java.util.Map<Long, int[]> spans = new java.util.TreeMap<>();
        calls.forEach(c -> spans.computeIfAbsent((c.receivedNanos() - first) / 10_000_000_000L, k -> new int[2])
                [c.status() == 429 ? 1 : 0]++);
        return spans.values().stream().map(v -> v[0] + "/" + v[1]).collect(java.util.stream.Collectors.joining(" "));
    }

    /** The profile of the pods a test starts, and the broker queue they share (unique to this run). */
    private String profile = "prod";
    private final String queue = "catalog-classifier.job-items.leases-it-" + java.util.UUID.randomUUID();

    private ServiceProcess pod(String key, String log) throws IOException {
        Map<String, String> env = ServiceProcess.env(postgres, "QUARKUS_PROFILE", profile, "CLASSIFIER_JOBS_QUEUE", queue,
                "OPENAI_BASE_URL", fake.baseUrl(),
                "OPENAI_API_KEY", key, "CLASSIFIER_MAX_CONCURRENT_CALLS", String.valueOf(CALLS_AT_ONCE),
                "CLASSIFIER_JOBS_LEASE_TTL", "6s", "CLASSIFIER_JOBS_LEASE_RENEW", "1s", "CLASSIFIER_JOBS_POD_NAME", log.replace(".log", ""),
                "CLASSIFIER_CACHE_ENABLED", "false");
        return ServiceProcess.start(ServiceProcess.JAR, env, Path.of("target", "leases-it", log));
    }
}
