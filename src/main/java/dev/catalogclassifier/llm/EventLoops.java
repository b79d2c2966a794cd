package dev.catalogclassifier.llm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * One event-loop context per Vert.x event loop, handed out in turn: each provider exchange is started on one, so
 * that all of its callbacks run on that context's thread, in order, as in Vert.x's own examples.
 * <p>
 * Why: started from the item's virtual thread, which has no Vert.x context, an exchange now and then lost its answer.
 * The response's headers arrived within milliseconds, but the listener that attaches the body's reader was queued
 * to the context instead of run at once, the response's end was handled first, and Vert.x drops an end that no reader
 * waits for ({@code HttpClientResponseImpl.handleEnd}): the body never completed, and the call waited out its
 * timeout with both event loops idle (a thread dump taken at the timeout). In the test suite that was a second
 * attempt about twice a run. {@code createEventLoopContext} is Vert.x's internal API (public in Vert.x 5 as
 * {@code io.vertx.core.internal}); the public {@code getOrCreateContext} would return the calling thread's context.
 */
final class EventLoops {

    private final Context[] contexts;
    private final AtomicInteger turn = new AtomicInteger();

    EventLoops(Vertx vertx) {
        VertxInternal internal = (VertxInternal) vertx;
        // createEventLoopContext takes the group's loops in turn: as many contexts as loops, one on each
        long loops = StreamSupport.stream(internal.getEventLoopGroup().spliterator(), false).count();
        this.contexts = LongStream.range(0, loops).mapToObj(i -> internal.createEventLoopContext()).toArray(Context[]::new);
    }

    /** The next loop's context. */
    Context next() {
        return contexts[Math.floorMod(turn.getAndIncrement(), contexts.length)];
    }
}
