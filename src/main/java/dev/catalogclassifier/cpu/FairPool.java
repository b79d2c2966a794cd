package dev.catalogclassifier.cpu;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A pool of platform threads for CPU-bound work that takes turns, as the model-call scheduler does: between tenants
 * first, then between the flows of the chosen tenant, each in turn, oldest task first within a flow. A tenant that
 * sends 720 items to be embedded does not make another's 10 wait for all of them. Work with no owner
 * ({@link #execute}) is one flow of its own.
 */
public final class FairPool implements Executor {

    private static final String UNOWNED = "";

    /** Tenants with work, in turn order; each tenant's flows with work, in turn order; each flow's tasks. */
    private final Deque<String> tenants = new ArrayDeque<>();
    private final Map<String, Deque<Object>> flows = new HashMap<>();
    private final Map<List<Object>, Deque<Runnable>> tasks = new HashMap<>();
    private final List<Thread> threads;
    private boolean stopped;

    /** {@code threads} threads named {@code name-0}, …; 0 or less means one per core. */
    public FairPool(String name, int threads) {
        int size = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.threads = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> Thread.ofPlatform().name(name + "-" + i).daemon().start(this::work)).toList();
    }

    /** Runs {@code work} in {@code tenant}'s and {@code flow}'s turn. */
    public <T> CompletableFuture<T> supply(String tenant, Object flow, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(tenant == null ? UNOWNED : tenant, flow, () -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void execute(Runnable task) {
        submit(UNOWNED, UNOWNED, task);
    }

    private synchronized void submit(String tenant, Object flow, Runnable task) {
        if (stopped) {
            throw new java.util.concurrent.RejectedExecutionException("the pool is shut down");
        }
        Deque<Runnable> queue = tasks.computeIfAbsent(List.of(tenant, flow), k -> new ArrayDeque<>());
        if (queue.isEmpty()) {
            Deque<Object> ofTenant = flows.computeIfAbsent(tenant, t -> new ArrayDeque<>());
            if (ofTenant.isEmpty()) {
                tenants.addLast(tenant);
            }
            ofTenant.addLast(flow);
        }
        queue.addLast(task);
        notify();
    }

    /** The next task in turn: the first tenant's first flow's oldest; both go to the back of their turn. */
    private synchronized Runnable next() throws InterruptedException {
        while (tenants.isEmpty() && !stopped) {
            wait();
        }
        if (stopped) {
            return null;
        }
        String tenant = tenants.pollFirst();
        Deque<Object> ofTenant = flows.get(tenant);
        Object flow = ofTenant.pollFirst();
        Deque<Runnable> queue = tasks.get(List.of(tenant, flow));
        Runnable task = queue.pollFirst();
        if (queue.isEmpty()) {
            tasks.remove(List.of(tenant, flow));
        } else {
            ofTenant.addLast(flow);
        }
        if (ofTenant.isEmpty()) {
            flows.remove(tenant);
        } else {
            tenants.addLast(tenant);
        }
        return task;
    }

    private void work() {
        try {
            for (Runnable task = next(); task != null; task = next()) {
                task.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking tasks; those queued are dropped. */
    public synchronized void shutdown() {
        stopped = true;
        notifyAll();
    }

    /** How many threads work. */
    public int size() {
        return threads.size();
    }
}
