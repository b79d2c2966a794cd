package dev.catalogclassifier.llm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What one item's model calls share while they run: the model the request chose, the flow it takes turns in, a
 * way to tell that the caller has gone, and the running count of provider attempts and tokens (including attempts whose answer we
 * later reject, because the provider bills those too).
 * <p>
 * It travels to {@link RoutingChatModel} as a {@link ScopedValue}: LangChain4j's {@code ChatModel.chat} between them
 * has no parameter for it, and the whole call chain runs synchronously on the item's virtual thread.
 */
public final class ModelCall {

    static final ScopedValue<ModelCall> CURRENT = ScopedValue.newInstance();
    /** The schema of the answer the call in progress asks for: its categories are the ones it may choose from. */
    static final ScopedValue<PreparedSchema> SCHEMA = ScopedValue.newInstance();

    private final String model;
    private final Flow flow;
    private final BooleanSupplier cancelled;
    private final long startedNanos = System.nanoTime();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger answers = new AtomicInteger();
    private Usage usage = Usage.NONE;
    /** When this call first found its providers down ({@link #downFor}); 0 while they are up. */
    private volatile long downSeenAt;
    private final java.util.concurrent.atomic.AtomicLong queuedNanos = new java.util.concurrent.atomic.AtomicLong();

    public ModelCall(String model, Flow flow, BooleanSupplier cancelled) {
        this.model = model;
        this.flow = flow;
        this.cancelled = cancelled;
    }

    public String model() {
        return model;
    }

    /** Whose turn this call takes in {@link ModelCallScheduler}. */
    public Flow flow() {
        return flow;
    }

    /**
     * Milliseconds the call spent waiting for its turn (behind other flows' calls, or for a key's permit): time an
     * item's {@code latency_ms} leaves out, since it is not the item's own work.
     */
    public long queuedMillis() {
        return queuedNanos.get() / 1_000_000;
    }

    void queued(long nanos) {
        queuedNanos.addAndGet(nanos);
    }

    /** Nanoseconds since the item's first attempt: how long it has waited through rate limits. */
    long elapsedNanos() {
        return System.nanoTime() - startedNanos;
    }

    /**
     * How long this call has been waiting on providers that are {@code down} now: since it first found them down,
     * 0 while they are up (a wait behind rate limits or other flows does not count). The item's thread asks before
     * its call waits for a turn, the scheduler's dispatcher while it waits: one after the other, never both at once.
     */
    long downFor(boolean down, long now) {
        if (!down) {
            downSeenAt = 0;
            return 0;
        }
        if (downSeenAt == 0) {
            downSeenAt = now;
        }
        return now - downSeenAt;
    }

    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    public int attempts() {
        return attempts.get();
    }

    /** Provider calls that came back with an answer (well-formed or not). */
    public int answers() {
        return answers.get();
    }

    public synchronized Usage usage() {
        return usage;
    }

    void attempted() {
        attempts.incrementAndGet();
    }

    synchronized void answered(Usage more) {
        answers.incrementAndGet();
        usage = usage.plus(more);
    }

    /**
     * Runs {@code work} with this call and the schema its answer must follow visible to the chat model, on the
     * current thread.
     */
    public <T> T run(PreparedSchema schema, ScopedValue.CallableOp<T, RuntimeException> work) {
        return ScopedValue.where(CURRENT, this).where(SCHEMA, schema).call(work);
    }

    /** Stops an item whose caller has gone, before it spends another call. */
    void checkNotCancelled() {
        if (cancelled()) {
            throw new Cancelled();
        }
    }

    /** The caller went away; not a failure of the item, and never retried. */
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("the caller cancelled this item", null, false, false);
        }
    }

    static PreparedSchema schema() {
        if (!SCHEMA.isBound()) {
            throw new IllegalStateException("A model call was made without an answer schema, on " + Thread.currentThread());
        }
        return SCHEMA.get();
    }

    static ModelCall current() {
        if (!CURRENT.isBound()) {
            throw new IllegalStateException("A model call was made outside ModelCall.run, on " + Thread.currentThread());
        }
        return CURRENT.get();
    }
}
