package dev.catalogclassifier.classify;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.ws.rs.core.StreamingOutput;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.ext.web.RoutingContext;

/**
 * A response body of server-sent events, written by us rather than by Quarkus REST's SSE support, which formats
 * each event through a message-body writer and writes and flushes it alone, then waits for that write before it
 * takes the next. Here the events ready at a moment go out together: the writing thread takes every frame waiting,
 * writes them, and flushes once. One result's {@code item} and {@code progress} are one write, and a burst of
 * results is one. Nothing waits to gather more: a lone result goes out as soon as it is ready.
 * <p>
 * A client that goes away cancels the upstream at once (the response's end handler), so the items it was waiting
 * for stop, as they did on Quarkus REST's own stream.
 */
public final class EventStream implements StreamingOutput {

    /** Marks the upstream's end in the queue. */
    private static final byte[] END = new byte[0];

    private final Multi<byte[]> frames;
    private final RoutingContext http;

    /** {@code frames}: each element one or more whole events, already in the wire format ({@link SseEvents#frames}). */
    public EventStream(Multi<byte[]> frames, RoutingContext http) {
        this.frames = frames;
        this.http = http;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();
        Cancellable upstream = frames.subscribe().with(ready::add, ready::add, () -> ready.add(END));
        http.addEndHandler(ended -> {
            if (ended.failed()) { // the client went away: nobody reads the rest
                upstream.cancel();
                ready.add(END);
            }
        });
        try {
            copy(ready, out);
        } catch (InterruptedException e) {
            upstream.cancel();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the event stream was stopped");
        } catch (IOException e) { // the client went away while we wrote; not an error of ours
            upstream.cancel();
            Log.debugf("Event stream ended by its client: %s", e.toString());
        }
    }

    /** Until the end: everything ready now, written, then one flush. */
    private static void copy(LinkedBlockingQueue<Object> ready, OutputStream out) throws InterruptedException, IOException {
        List<Object> batch = new ArrayList<>();
        while (true) {
            batch.add(ready.take());
            ready.drainTo(batch);
            for (Object next : batch) {
                if (next == END) {
                    out.flush();
                    return;
                }
                if (next instanceof Throwable failure) { // the headers are sent: it can only be logged, and the stream ended
                    out.flush();
                    Log.errorf(failure, "An event stream failed after it had started");
                    return;
                }
                out.write((byte[]) next);
            }
            out.flush();
            batch.clear();
        }
    }
}
