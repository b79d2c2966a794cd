package dev.catalogclassifier.llm;

import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.opentelemetry.context.Context;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

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

    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    /** The exchanges under way, for {@link #sweep}. */
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
    public ChatResponse text(ChatModel client, ChatRequest request) {
        return interruptibly(client, request);
    }

    /** A question with one photo, which takes the provider longer to read. */
    @Timeout(60_000)
    public ChatResponse photo(ChatModel client, ChatRequest request) {
        return interruptibly(client, request);
    }

    /** A question about up to ten photos at once (the folder command). */
    @Timeout(120_000)
    public ChatResponse photos(ChatModel client, ChatRequest request) {
        return interruptibly(client, request);
    }

    /**
     * The REST client's blocking call does not answer to interrupts, so the timeout could not cut a hung call
     * short. The call runs on a virtual thread of its own (the one hop of a model call) and this thread waits on it,
     * which an interrupt does end; the abandoned call is closed by the client's connection timeout. The wait is one
     * park: {@link #sweep} ends it when the item's caller goes away.
     */
    private ChatResponse interruptibly(ChatModel client, ChatRequest request) {
        // the REST client's own span joins the provider-call span only if the context goes along to its thread
        Open exchange = new Open(ModelCall.current(), calls.submit(Context.current().wrap(() -> client.chat(request))));
        open.add(exchange);
        try {
            return exchange.call().get();
        } catch (CancellationException e) {
            throw new ModelCall.Cancelled(); // the sweep found the caller gone: nobody reads the answer
        } catch (InterruptedException e) {
            // the @Timeout's own interrupt leaves here as its TimeoutException (the interceptor sees to that);
            // any other means whoever runs the item stopped it, and a stopped item is not retried
            exchange.call().cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelCall.Cancelled();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
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
                    exchange.call().cancel(true);
                }
            } catch (RuntimeException e) { // a caller's cancel check that failed must not end the sweeps
                Log.debugf("Cancel check of an open provider call failed: %s", e.toString());
            }
        }
    }

    /** An exchange under way and the item it is for. */
    private record Open(ModelCall item, Future<ChatResponse> call) {
    }

    /**
     * At shutdown, before the job items are stopped: an exchange already sent is let finish rather than abandoned,
     * since an abandoned one ends in the REST client after the application has gone (an error with no context left
     * to report it). Its answer is paid for anyway; the item stops before its next call.
     */
    void finishing(@Observes @Priority(999) ShutdownEvent event) {
        finishing = true;
    }

    /**
     * At shutdown, once the job items have been stopped ({@code HandBack}), waits a little for the exchanges still
     * open: an abandoned call ends only when its answer or its connection timeout comes, and one that ends after the
     * application has stopped fails inside the REST client with no context left to report to.
     */
    void drain(@Observes @Priority(1500) ShutdownEvent event) throws InterruptedException {
        calls.shutdown();
        if (!calls.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
            Log.infof("Provider calls still open at shutdown after %d s: left to their connection timeout",
                    DRAIN.toSeconds());
        }
    }

    @PreDestroy
    void close() {
        sweeper.shutdownNow();
        calls.shutdownNow();
    }
}
