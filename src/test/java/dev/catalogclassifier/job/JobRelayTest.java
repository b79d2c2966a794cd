package dev.catalogclassifier.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The relay's window over a database that fails now and then: what it could not publish, it publishes later. */
class JobRelayTest {

    private static final int WINDOW = 4;

    @Test
    void aPageQueryThatFailedGivesItsRoomInTheWindowBack() {
        FailingOnce leases = new FailingOnce();
        List<Integer> sent = new CopyOnWriteArrayList<>();
        JobDispatcher dispatcher = new JobDispatcher(null, new JobEvents(null, Optional.empty(), Optional.empty(),
                Optional.empty()), config()) {
            @Override
            CompletableFuture<List<Integer>> dispatch(UUID jobId, List<Integer> indexes, String traceParent, Runnable done) {
                sent.addAll(indexes);
                return new CompletableFuture<>(); // the items are still being worked: their room stays taken
            }
        };
        JobRelay relay = new JobRelay(leases, dispatcher, config(), new PodIdentity(config()));
        relay.start();
        try {
            relay.wake(UUID.randomUUID());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sent)
                    .as("items out after a failed page query (%d queries): the whole window", leases.calls.get())
                    .containsExactly(0, 1, 2, 3));
            assertThat(leases.calls.get()).as("page queries, the first of which failed").isGreaterThan(1);
        } finally {
            relay.stop(null);
        }
    }

    /** The first page query fails as a database that has gone away does; later ones find every item asked for. */
    private static final class FailingOnce extends LeaseRepository {
        final AtomicInteger calls = new AtomicInteger();
        private int next;

        FailingOnce() {
            super(null);
        }

        @Override
        public synchronized Page page(UUID jobId, String podId, int room, boolean markNow) {
            if (calls.getAndIncrement() == 0) {
                throw new IllegalStateException("Connection refused");
            }
            List<Integer> indexes = IntStream.range(next, next + room).boxed().toList();
            next += room;
            return new Page(indexes, null);
        }
    }

    /** A window of four, pages as large as the window, and a short pause after a failure. */
    private static JobsConfig config() {
        return (JobsConfig) Proxy.newProxyInstance(JobsConfig.class.getClassLoader(), new Class<?>[] {JobsConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "relayWindow", "relayPage" -> WINDOW;
                    case "leaseRenew" -> Duration.ofMillis(20);
                    case "outbox" -> false;
                    case "podName" -> Optional.of("relay-test");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
