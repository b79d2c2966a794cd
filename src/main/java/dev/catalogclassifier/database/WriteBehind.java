package dev.catalogclassifier.database;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes in batches behind the callers' backs: one virtual thread takes whatever has piled up while the last
 * write ran (at most {@code maxBatch}) and hands it to the writer. A quiet queue writes each item at once; a
 * busy one writes hundreds per transaction, never one transaction per item. With a {@code linger}, a batch waits
 * that long from its first item for more (or until it is full): for writes nobody waits for, fewer and larger
 * statements.
 */
public final class WriteBehind<T> {

    /** Writes one batch; may block, and may be interrupted when the service stops. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(List<T> batch) throws InterruptedException;
    }

    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Duration linger;
    private final Writer<T> writer;
    private final Consumer<List<T>> abandoned;
    private final Thread thread;

    /** {@code abandoned} receives the batch in hand when the service stops mid-write. */
    public WriteBehind(String name, int maxBatch, Writer<T> writer, Consumer<List<T>> abandoned) {
        this(name, maxBatch, Duration.ZERO, writer, abandoned);
    }

    /** As above; each batch waits up to {@code linger} from its first item for more. */
    public WriteBehind(String name, int maxBatch, Duration linger, Writer<T> writer, Consumer<List<T>> abandoned) {
        this.maxBatch = maxBatch;
        this.linger = linger;
        this.writer = writer;
        this.abandoned = abandoned;
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    public void add(T item) {
        queue.add(item);
    }

    /** Items not yet taken into a batch. */
    int waiting() {
        return queue.size();
    }

    public void stop() {
        thread.interrupt();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            List<T> batch = new ArrayList<>();
            try {
                T first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    fill(batch);
                    writer.write(batch);
                }
            } catch (InterruptedException e) {
                abandoned.accept(batch);
                return;
            }
        }
    }

    /** Adds what is queued, and with a linger what comes within it, up to {@code maxBatch}. */
    private void fill(List<T> batch) throws InterruptedException {
        queue.drainTo(batch, maxBatch - batch.size());
        long deadline = System.nanoTime() + linger.toNanos();
        for (long left = linger.toNanos(); batch.size() < maxBatch && left > 0; left = deadline - System.nanoTime()) {
            T next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next != null) {
                batch.add(next);
                queue.drainTo(batch, maxBatch - batch.size());
            }
        }
    }
}
