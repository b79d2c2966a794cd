package dev.catalogclassifier.llm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.quarkus.logging.Log;

/**
 * Decides which model call goes next, for every request, job and folder run of the process. Each attempt of a
 * call waits here for a turn; one dispatcher thread hands out turns when three things hold:
 * <ol>
 * <li><b>Room:</b> fewer than {@code CLASSIFIER_MAX_CONCURRENT_CALLS} calls are in flight (the ceiling; the
 * {@code @Bulkhead} on {@link ProviderCall} enforces the same number as a hard stop).</li>
 * <li><b>A key that may send now:</b> {@link ProviderPool#tryLease} finds one whose pacer has a permit. Pacing
 * here, before a call takes its place, is what makes the calls in flight follow the keys' limits (rate ×
 * latency) rather than the ceiling: a call never holds a slot while it waits for a permit.</li>
 * <li><b>Its tenant's turn, then its flow's:</b> tenants with calls waiting take turns by start-time fair queuing
 * (the virtual-time form of deficit round-robin): each turn advances the tenant's pass by 1 / weight
 * ({@code classifier.tenants.<t>.weight}) and the tenant with the smallest pass goes next; a tenant that was idle
 * starts at the current virtual time, so it neither waits behind nor overtakes the backlog of others. Within the
 * tenant its flows (requests, jobs) take turns the same way, each with its own pass. So tenant B's 10-item request
 * gets every other turn against tenant A's 10,000-item job however many requests A sends, and within one tenant a
 * request gets every other turn against a job ({@code classifier.llm.scheduler.job-weight} below 1 gives it more). A
 * tenant at its own ceiling ({@code classifier.tenants.<t>.max-concurrent-calls}) waits, and its turns go to
 * others.</li>
 * </ol>
 * A new flow ramps up: {@link #FIRST_CALLS} calls in flight at first, twice as many every {@link #RAMP_NANOS}
 * after, up to the ceiling (a quarter of a second later at 64). Turns only go to waiting calls, so without it the
 * first of several requests sent together would take every slot before the others had parsed their bodies, and
 * they would wait a whole provider latency for a slot to free.
 * Within a flow, calls go in the order they arrived. A call whose item was cancelled never gets a turn: the
 * dispatcher looks before it grants one, and looks at every waiting call each {@link #CANCEL_CHECK_MS} ms.
 */
@ApplicationScoped
public class ModelCallScheduler {

    /** How often the dispatcher looks whether a waiting call's item was cancelled, or its providers down too long. */
    static final long CANCEL_CHECK_MS = 200;
    private static final long CANCEL_CHECK_NANOS = CANCEL_CHECK_MS * 1_000_000;
    /** The longest the dispatcher sleeps between looks at a pacer, so a key that frees up is seen soon. */
    private static final long MAX_NAP_NANOS = 250_000_000L;

    private final ProviderPool pool;
    private final int ceiling;
    private final double jobWeight;
    /** How long an item of each kind of flow may wait for a provider that is down, in nanoseconds. */
    private final Map<Flow.Kind, Long> outagePatience;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Calls in flight a new flow starts with. */
    static final int FIRST_CALLS = 8;
    /** How often a new flow's share of calls in flight doubles. */
    static final long RAMP_NANOS = 80_000_000L;
    /** Tenants with calls waiting or in flight, by tenant ("" for none); guarded by {@link #lock}. */
    private final Map<String, Tenant> tenants = new HashMap<>();
    private final TenantShares shares;
    private double virtualTime;
    private int inFlight;
    private int waiting;
    private volatile boolean closed;
    private final Thread dispatcher;

    public ModelCallScheduler(ProviderPool pool, LlmConfig config, TenantShares shares, ClassifierMetrics metrics) {
        this.pool = pool;
        this.shares = shares;
        this.ceiling = config.maxConcurrentCalls();
        this.jobWeight = config.scheduler().jobWeight();
        this.outagePatience = new java.util.EnumMap<>(Flow.Kind.class);
        for (Flow.Kind kind : Flow.Kind.values()) {
            outagePatience.put(kind, config.outage().patience(kind).toNanos());
        }
        metrics.scheduler(this::inFlight, this::waiting);
        // a platform thread: on a busy machine a virtual one waits behind every item thread for a carrier, and so
        // would every turn it hands out
        this.dispatcher = Thread.ofPlatform().daemon().name("model-call-dispatcher").unstarted(this::dispatchLoop);
        dispatcher.start();
    }

    /** A call's turn: the key it goes to, with its permits taken. Give it back with {@link #done}. */
    record Turn(Flow flow, ProviderPool.Lease lease) {
    }

    /**
     * Waits for a turn for a call of {@code flow}; blocks, so call it on the item's virtual thread.
     *
     * @throws ModelCall.Cancelled when {@code call} is cancelled while it waits
     * @throws ProviderException.Rejected when no key can ever take the call (none serves the model, or every one
     *         was refused)
     */
    Turn await(ModelCall call, long estimatedTokens) {
        checkPatience(call);
        Waiter waiter = new Waiter(call, estimatedTokens);
        long since = System.nanoTime();
        enqueue(call.flow(), waiter);
        try {
            // one park until the dispatcher grants the turn, or fails it (cancelled, or its providers down too long)
            return new Turn(call.flow(), waiter.granted.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!withdraw(call.flow(), waiter)) {
                done(new Turn(call.flow(), waiter.granted.join()), false);
            }
            throw new ModelCall.Cancelled(); // whoever runs this item stopped it while it waited
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            call.queued(System.nanoTime() - since);
        }
    }

    /** Fails a call whose providers are down and have been for longer than its flow may wait. */
    private void checkPatience(ModelCall call) {
        if (outLasted(call)) {
            throw down(call);
        }
    }

    private ProviderException.Down down(ModelCall call) {
        return new ProviderException.Down(java.time.Duration.ofNanos(outagePatience.get(call.flow().kind())));
    }

    private boolean outLasted(ModelCall call) {
        return outLasted(call, System.nanoTime());
    }

    private boolean outLasted(ModelCall call, long now) {
        return call.downFor(pool.down(call.model()), now) > outagePatience.get(call.flow().kind());
    }

    /** The call of {@code turn} is over (answered or not): its place goes to the next. */
    void done(Turn turn, boolean sent) {
        if (!sent) {
            pool.released(turn.lease(), false);
        }
        lock.lock();
        try {
            inFlight--;
            Tenant tenant = tenants.get(key(turn.flow()));
            Queue queue = tenant == null ? null : tenant.flows.get(turn.flow());
            if (queue != null) {
                queue.inFlight--;
                tenant.inFlight--;
                forgetIfIdle(tenant, turn.flow(), queue);
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void forgetIfIdle(Tenant tenant, Flow flow, Queue queue) {
        if (queue.waiters.isEmpty() && queue.inFlight <= 0) {
            tenant.flows.remove(flow);
            if (tenant.flows.isEmpty()) {
                tenants.remove(key(flow));
            }
        }
    }

    private static String key(Flow flow) {
        return flow.tenant() == null ? "" : flow.tenant();
    }

    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(Flow flow, Waiter waiter) {
        lock.lock();
        try {
            Tenant tenant = tenants.get(key(flow));
            if (tenant == null) {
                tenant = new Tenant(shares.weight(flow.tenant()), shares.ceiling(flow.tenant(), ceiling), virtualTime);
                tenants.put(key(flow), tenant);
            } else if (tenant.waiting == 0) {
                tenant.pass = Math.max(tenant.pass, virtualTime); // idle until now: no credit for the time it waited for nothing
            }
            Queue queue = tenant.flows.get(flow);
            if (queue == null) {
                queue = new Queue(weight(flow), tenant.virtualTime, System.nanoTime());
                tenant.flows.put(flow, queue);
            } else if (queue.waiters.isEmpty()) {
                queue.pass = Math.max(queue.pass, tenant.virtualTime);
            }
            queue.waiters.addLast(waiter);
            tenant.waiting++;
            waiting++;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a waiter out unsent; false when it was granted meanwhile (it then owns a turn). */
    private boolean withdraw(Flow flow, Waiter waiter) {
        lock.lock();
        try {
            if (waiter.granted.isDone()) {
                return waiter.granted.isCompletedExceptionally();
            }
            remove(flow, waiter);
            waiter.granted.cancel(false);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes a waiter out of its flow's queue; the caller holds {@link #lock}. */
    private void remove(Flow flow, Waiter waiter) {
        Tenant tenant = tenants.get(key(flow));
        Queue queue = tenant == null ? null : tenant.flows.get(flow);
        if (queue != null && queue.waiters.remove(waiter)) {
            waiting--;
            tenant.waiting--;
            forgetIfIdle(tenant, flow, queue);
        }
    }

    /**
     * Fails the waiting calls whose item was cancelled, or whose providers have been down for longer than their flow
     * may wait: one look at every waiter each {@link #CANCEL_CHECK_MS} ms, here, instead of every waiting call waking
     * up that often to look at itself. The caller holds {@link #lock}.
     */
    private void sweep(long now) {
        List<Gone> gone = new ArrayList<>();
        for (Tenant tenant : tenants.values()) {
            for (Map.Entry<Flow, Queue> flow : tenant.flows.entrySet()) {
                for (Waiter waiter : flow.getValue().waiters) {
                    if (waiter.call.cancelled()) {
                        gone.add(new Gone(flow.getKey(), waiter, new ModelCall.Cancelled()));
                    } else if (outLasted(waiter.call, now)) {
                        gone.add(new Gone(flow.getKey(), waiter, down(waiter.call)));
                    }
                }
            }
        }
        // out of the loops: taking a waiter out may forget its flow and tenant, which the loops walk
        for (Gone g : gone) {
            remove(g.flow(), g.waiter());
            g.waiter().granted.completeExceptionally(g.why());
        }
    }

    private double weight(Flow flow) {
        return flow.kind() == Flow.Kind.JOB ? jobWeight : 1.0;
    }

    private void dispatchLoop() {
        lock.lock();
        try {
            long swept = System.nanoTime();
            while (!closed) {
                long now = System.nanoTime();
                if (now - swept >= CANCEL_CHECK_NANOS) {
                    sweep(now);
                    swept = now;
                }
                long nap = Math.min(dispatchSafely(), CANCEL_CHECK_NANOS - (System.nanoTime() - swept));
                try {
                    changed.awaitNanos(Math.max(0, Math.min(nap, MAX_NAP_NANOS)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One round of {@link #dispatch}; whatever goes wrong, the dispatcher lives on to hand out the next turns. */
    private long dispatchSafely() {
        try {
            return dispatch();
        } catch (RuntimeException e) {
            Log.errorf(e, "The model-call dispatcher failed a round; it goes on");
            return MAX_NAP_NANOS;
        }
    }

    /** Hands out every turn it can now; the answer is how long until another may be possible. */
    private long dispatch() {
        long rampWait = Long.MAX_VALUE;
        while (inFlight < ceiling) {
            long now = System.nanoTime();
            Choice next = null;
            rampWait = Long.MAX_VALUE;
            for (Tenant tenant : tenants.values()) {
                if (tenant.waiting == 0 || tenant.inFlight >= tenant.ceiling) {
                    continue; // a tenant at its ceiling waits for one of its calls to end, which signals
                }
                if (next != null && tenant.pass >= next.tenant.pass) {
                    rampWait = Math.min(rampWait, tenant.untilMoreShare(now, ceiling));
                    continue;
                }
                Map.Entry<Flow, Queue> flow = tenant.next(now, ceiling);
                if (flow == null) {
                    rampWait = Math.min(rampWait, tenant.untilMoreShare(now, ceiling));
                } else {
                    next = new Choice(tenant, flow.getKey(), flow.getValue());
                }
            }
            if (next == null) {
                return rampWait;
            }
            Waiter head = next.queue.waiters.peekFirst();
            if (head.call.cancelled()) { // its caller went away while it waited: it leaves unsent
                take(next);
                head.granted.completeExceptionally(new ModelCall.Cancelled());
                continue;
            }
            ProviderPool.Offer offer;
            try {
                offer = pool.tryLease(head.call.model(), head.estimatedTokens);
            } catch (RuntimeException e) { // no key can take it (a ProviderException), or a bug: that call fails alone
                take(next);
                head.granted.completeExceptionally(e);
                continue;
            }
            if (offer.lease() == null) {
                return Math.min(offer.waitNanos(), rampWait);
            }
            // counted in flight before it leaves the queue: a queue whose last waiter left with nothing in flight
            // is forgotten, and its flow and tenant would start again from nothing (their ceiling, ramp and pass)
            next.queue.inFlight++;
            next.tenant.inFlight++;
            inFlight++;
            take(next);
            virtualTime = next.tenant.pass;
            next.tenant.pass += 1 / next.tenant.weight;
            next.tenant.virtualTime = next.queue.pass;
            next.queue.pass += 1 / next.queue.weight;
            head.granted.complete(offer.lease());
        }
        return Long.MAX_VALUE;
    }

    /** A waiting call the sweep fails, and why. */
    private record Gone(Flow flow, Waiter waiter, RuntimeException why) {
    }

    /** The flow whose call goes next, and its tenant. */
    private record Choice(Tenant tenant, Flow flow, Queue queue) {
    }

    private void take(Choice choice) {
        choice.queue.waiters.removeFirst();
        waiting--;
        choice.tenant.waiting--;
        forgetIfIdle(choice.tenant, choice.flow, choice.queue);
    }

    @PreDestroy
    void close() {
        closed = true;
        dispatcher.interrupt();
    }

    /** One tenant's flows, its calls waiting and in flight, and its place in the turns among tenants. */
    private static final class Tenant {
        final Map<Flow, Queue> flows = new HashMap<>();
        final double weight;
        final int ceiling;
        double pass;
        /** The pass of its flow that went last: where a flow that joins or wakes starts. */
        double virtualTime;
        int inFlight;
        int waiting;

        Tenant(double weight, int ceiling, double pass) {
            this.weight = weight;
            this.ceiling = ceiling;
            this.pass = pass;
        }

        /** Its flow with calls waiting, room in its ramp and the smallest pass; null when none may go now. */
        Map.Entry<Flow, Queue> next(long now, int serviceCeiling) {
            Map.Entry<Flow, Queue> next = null;
            for (Map.Entry<Flow, Queue> e : flows.entrySet()) {
                Queue q = e.getValue();
                if (!q.waiters.isEmpty() && q.inFlight < q.share(now, serviceCeiling)
                        && (next == null || q.pass < next.getValue().pass)) {
                    next = e;
                }
            }
            return next;
        }

        /** How long until one of its flows' ramps lets another call go. */
        long untilMoreShare(long now, int serviceCeiling) {
            long wait = Long.MAX_VALUE;
            for (Queue q : flows.values()) {
                if (!q.waiters.isEmpty() && q.inFlight >= q.share(now, serviceCeiling)) {
                    wait = Math.min(wait, q.untilMoreShare(now));
                }
            }
            return wait;
        }
    }

    /** The calls one flow has waiting and in flight, and its place in its tenant's turns. */
    private static final class Queue {
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        final double weight;
        final long startedNanos;
        double pass;
        int inFlight;

        Queue(double weight, double pass, long startedNanos) {
            this.weight = weight;
            this.pass = pass;
            this.startedNanos = startedNanos;
        }

        /** The most calls this flow may have in flight now: its ramp, doubling from {@link #FIRST_CALLS}. */
        int share(long now, int ceiling) {
            long doublings = (now - startedNanos) / RAMP_NANOS;
            return doublings >= 16 ? ceiling : (int) Math.min(ceiling, (long) FIRST_CALLS << doublings);
        }

        long untilMoreShare(long now) {
            long age = now - startedNanos;
            return RAMP_NANOS - age % RAMP_NANOS;
        }
    }

    /** One attempt of a call, waiting for its turn. */
    private static final class Waiter {
        final ModelCall call;
        final long estimatedTokens;
        final CompletableFuture<ProviderPool.Lease> granted = new CompletableFuture<>();

        Waiter(ModelCall call, long estimatedTokens) {
            this.call = call;
            this.estimatedTokens = estimatedTokens;
        }
    }
}
