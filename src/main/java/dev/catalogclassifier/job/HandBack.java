package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

/**
 * What a stopping pod gives back of the job items it holds. At shutdown (after the HTTP drain, before the
 * result writer and the database pool close) every item in progress here is stopped, as a cancelled caller's
 * would be, and every item that arrives from then on is not started; both stay queued in the database, and
 * {@link JobLeases} leaves them to whichever pod takes them first (owner cleared, marked unpublished so that with
 * RabbitMQ the outbox publishes them again, since their messages are acknowledged here). Their calls already paid
 * for are counted; nothing else is written for them.
 */
@ApplicationScoped
public class HandBack {

    /** The longest the shutdown waits for stopped items to end: their model calls look every 200 ms. */
    private static final Duration ITEMS_END = Duration.ofSeconds(10);

    private volatile boolean handingBack;
    private final AtomicInteger running = new AtomicInteger();
    private final ConcurrentLinkedQueue<ItemWork> given = new ConcurrentLinkedQueue<>();

    /** Whether items are being given back: one that has not started must not. */
    boolean handingBack() {
        return handingBack;
    }

    /** An item starts here; {@link #ended()} when it is done, whatever happened. */
    void started() {
        running.incrementAndGet();
    }

    void ended() {
        if (running.decrementAndGet() == 0 && handingBack) {
            synchronized (running) {
                running.notifyAll();
            }
        }
    }

    /** {@code item} stays queued, for another pod. */
    void give(ItemWork item) {
        given.add(item);
    }

    /** The items given back so far. */
    List<ItemWork> given() {
        return List.copyOf(given);
    }

    /** Stops the items in progress, and waits for them to end (bounded), before the result writer stops. */
    void stop(@Observes @Priority(1000) ShutdownEvent event) throws InterruptedException {
        handingBack = true;
        long deadline = System.nanoTime() + ITEMS_END.toNanos();
        synchronized (running) {
            // the item threads end on their own within a call's cancel check; the last one wakes this
            for (long left = ITEMS_END.toMillis(); running.get() > 0 && left > 0;
                    left = (deadline - System.nanoTime()) / 1_000_000) {
                running.wait(left);
            }
        }
        if (running.get() > 0) {
            Log.warnf("%d job item(s) still running at shutdown; they stay queued for another pod", running.get());
        }
    }
}
