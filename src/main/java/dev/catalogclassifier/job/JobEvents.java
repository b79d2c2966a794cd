package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.catalogclassifier.database.Database;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Tells SSE subscribers on every pod that a job has new events, through PostgreSQL LISTEN/NOTIFY: the pod that
 * stores results notifies in the same transaction, so a notification never arrives before its rows are
 * visible. The rows themselves are read from the database, which is what makes resuming exact; a missed
 * notification only delays a subscriber until its next periodic look.
 * The same connection carries cancellations ({@code job_control}) to the workers of every pod.
 */
@ApplicationScoped
public class JobEvents {

    static final String EVENTS = "job_events";
    static final String CONTROL = "job_control";

    private final Map<UUID, Set<Signal>> subscribers = new ConcurrentHashMap<>();
    private final Set<Consumer<UUID>> cancelListeners = ConcurrentHashMap.newKeySet();
    private final Vertx vertx;
    private final Optional<String> url;
    private final Optional<String> user;
    private final Optional<String> password;
    private PgSubscriber listener;

    public JobEvents(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Listens once the database is there: at start-up, or when it first comes back. */
    void start(@ObservesAsync Database.Ready ready) {
        if (url.isEmpty()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get().replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        listener = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        listener.channel(EVENTS).handler(payload -> parse(payload).ifPresent(this::published));
        listener.channel(CONTROL).handler(payload -> parse(payload).ifPresent(id -> cancelListeners.forEach(l -> l.accept(id))));
        listener.connect().subscribe().with(ok -> Log.debug("Listening for job events"),
                e -> Log.warnf("Not listening for job events yet (%s); subscribers fall back to polling", e.toString()));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (listener != null) {
            listener.closeAndForget();
        }
    }

    /** Wakes this pod's subscribers of {@code jobId}. */
    void published(UUID jobId) {
        subscribers.getOrDefault(jobId, Set.of()).forEach(Signal::wake);
    }

    void onCancel(Consumer<UUID> listener) {
        cancelListeners.add(listener);
    }

    Signal subscribe(UUID jobId) {
        Signal signal = new Signal(() -> unsubscribe(jobId));
        subscribers.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(signal);
        return signal;
    }

    private void unsubscribe(UUID jobId) {
        subscribers.computeIfPresent(jobId, (k, set) -> {
            set.removeIf(Signal::closed);
            return set.isEmpty() ? null : set;
        });
    }

    /** Inside the storing transaction: delivered to listeners on commit, dropped on rollback. */
    static Uni<Void> notifyAll(Collection<UUID> jobIds) {
        return notify(EVENTS, jobIds);
    }

    static Uni<Void> notifyCancelled(UUID jobId) {
        return notify(CONTROL, Set.of(jobId));
    }

    private static Uni<Void> notify(String channel, Collection<UUID> jobIds) {
        return Multi.createFrom().iterable(jobIds)
                .onItem().transformToUniAndConcatenate(id -> Panache.getSession().chain(session -> session
                        .createNativeQuery("select cast(pg_notify(?1, ?2) as text)", String.class)
                        .setParameter(1, channel).setParameter(2, id.toString()).getSingleResult()))
                .collect().last().replaceWithVoid();
    }

    private static Optional<UUID> parse(String payload) {
        try {
            return Optional.of(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** One subscriber's wake-up call. */
    static final class Signal implements AutoCloseable {
        private final Semaphore permits = new Semaphore(0);
        private final Runnable onClose;
        private volatile boolean closed;

        Signal(Runnable onClose) {
            this.onClose = onClose;
        }

        void wake() {
            permits.release();
        }

        /** Waits for news, at most {@code timeout}; a subscriber looks again either way. */
        void await(Duration timeout) throws InterruptedException {
            permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
            permits.drainPermits();
        }

        boolean closed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            onClose.run();
        }
    }
}
