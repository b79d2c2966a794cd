package dev.catalogclassifier.llm;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

/**
 * One HTTP exchange with the provider, under its {@link Timeout} and {@link Bulkhead}. It is a bean of its own so
 * that the timeout covers the exchange only: waiting for a turn and a key's permits happens before, in
 * {@link ModelCallScheduler}, and may rightly take longer than any answer should. The bulkhead is the hard
 * ceiling ({@code CLASSIFIER_MAX_CONCURRENT_CALLS}); the scheduler keeps calls beneath it, so it never has to
 * refuse one. The retry around it stays on {@link ModelClient}, the one retry
 * layer. Limits: {@code quarkus.fault-tolerance."dev.catalogclassifier.llm.ProviderCall/<method>".timeout.value}.
 */
@ApplicationScoped
public class ProviderCall {

    /** How often the open exchanges are looked at for items whose caller has gone. */
    private static final long CANCEL_CHECK_MS = 200;
    /** The longest a shutdown waits for provider exchanges still open. */
    private static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(5);

    /** The exchanges under way, for {@link #sweep} and {@link #drain}. */
    private final Set<Open> open = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService sweeper;
    private volatile boolean finishing;

    /** Not in a constructor: the bean's client proxy runs that too. */
    @PostConstruct
    void startSweeping() {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("provider-call-sweep").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, CANCEL_CHECK_MS, CANCEL_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** A text question. */
    @Timeout(30_000)
    public ProviderClient.Answer text(ProviderKey key, byte[] body) {
        return exchange(key, body);
    }

    /** A question with one photo, which takes the provider longer to read. */
    @Timeout(60_000)
    public ProviderClient.Answer photo(ProviderKey key, byte[] body) {
        return exchange(key, body);
    }

    /** A question about up to ten photos at once (the folder command). */
    @Timeout(120_000)
    public ProviderClient.Answer photos(ProviderKey key, byte[] body) {
        return exchange(key, body);
    }

    /**
     * Sends the request (started on an event loop, {@link EventLoops}) and waits for the answer on the caller's own
     * thread, which parks once: no thread of its own per call for the timeout. The wait ends early for
     * the {@code @Timeout}'s interrupt and for {@link #sweep}'s cancel; the abandoned exchange runs on, unread.
     * Writing the request and reading the answer happen outside, on the caller's thread too: the timeout is the
     * exchange's only.
     */
    private ProviderClient.Answer exchange(ProviderKey key, byte[] body) {
        Open exchange = new Open(ModelCall.current(),
                key.client().send(body, limits -> key.pacer().observe(limits, System.nanoTime())));
        open.add(exchange);
        try {
            return exchange.answer().get();
        } catch (CancellationException e) {
            throw new ModelCall.Cancelled(); // the sweep found the caller gone: nobody reads the answer
        } catch (InterruptedException e) {
            // the @Timeout's own interrupt leaves here as its TimeoutException (the interceptor sees to that);
            // any other means whoever runs the item stopped it, and a stopped item is not retried
            exchange.answer().cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelCall.Cancelled();
        } catch (ExecutionException e) {
            // the connection's failure (refused, reset, closed, timed out): the provider could not be reached
            throw new java.io.UncheckedIOException(e.getCause() instanceof java.io.IOException io ? io
                    : new java.io.IOException(e.getCause()));
        } finally {
            open.remove(exchange);
        }
    }

    /**
     * Stops paying for answers nobody reads: every {@link #CANCEL_CHECK_MS} ms, one look at all open exchanges
     * instead of each waiting call waking up that often to look at itself. At shutdown they are let finish.
     */
    private void sweep() {
        if (finishing) {
            return;
        }
        for (Open exchange : open) {
            try {
                if (exchange.item().cancelled()) {
                    exchange.answer().cancel(true);
                }
            } catch (RuntimeException e) { // a caller's cancel check that failed must not end the sweeps
                Log.debugf("Cancel check of an open provider call failed: %s", e.toString());
            }
        }
    }

    /** An exchange under way and the item it is for. */
    private record Open(ModelCall item, CompletableFuture<ProviderClient.Answer> answer) {
    }

    /**
     * At shutdown, before the job items are stopped: an exchange already sent is let finish rather than abandoned,
     * since an abandoned one is paid for and its answer lost. The item stops before its next call.
     */
    void finishing(@Observes @Priority(999) ShutdownEvent event) {
        finishing = true;
    }

    /**
     * At shutdown, once the job items have been stopped ({@code HandBack}), waits a little for the exchanges still
     * open, so that their answers are stored rather than lost when the HTTP client closes.
     */
    void drain(@Observes @Priority(1500) ShutdownEvent event) throws InterruptedException {
        try {
            CompletableFuture.allOf(open.stream().map(Open::answer).toArray(CompletableFuture[]::new))
                    .get(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            Log.infof("Provider calls still open at shutdown after %d s: closed with the HTTP client",
                    DRAIN.toSeconds());
        } catch (ExecutionException e) {
            // a call that failed has ended, which is all this waits for
        }
    }

    @PreDestroy
    void close() {
        sweeper.shutdownNow();
    }
}
