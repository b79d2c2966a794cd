package dev.catalogclassifier.job;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The one way job items reach the {@code job-items} channel: the relay of the outbox. A submit, a retry or a take-over
 * only commits items as this pod's and unpublished, and wakes the relay; the relay publishes them a page at a time,
 * taking turns between jobs, and never has more than {@code classifier.jobs.relay-window} messages out. In-process,
 * a message is out until its item is done, so the window bounds the pod's queue however large the jobs are (the
 * back-pressure: a 100,000-item job is 100,000 rows, not 100,000 messages). With the outbox (RabbitMQ), a message is
 * out until the broker confirms it; the confirmed items of each page are marked published, so a pod that dies
 * mid-publish leaves only its unconfirmed pages for the pod that takes its items over.
 */
@ApplicationScoped
public class JobRelay {

    private final LeaseRepository leases;
    private final JobDispatcher dispatcher;
    private final JobsConfig config;
    private final String podId;
    /** Jobs with items this relay may still have to publish, in the order they came. */
    private final Set<UUID> pending = new LinkedHashSet<>();
    private final Semaphore wakeUp = new Semaphore(0);
    /** Free places in the window: taken per message sent, given back when the message is done (or confirmed). */
    private final Semaphore window;
    private volatile boolean running;
    private Thread thread;

    public JobRelay(LeaseRepository leases, JobDispatcher dispatcher, JobsConfig config, PodIdentity pod) {
        this.leases = leases;
        this.dispatcher = dispatcher;
        this.config = config;
        this.podId = pod.id();
        this.window = new Semaphore(config.relayWindow());
    }

    /** The job has items of this pod to publish (just committed, retried or taken over). */
    public void wake(UUID jobId) {
        synchronized (pending) {
            pending.add(jobId);
        }
        wakeUp.release();
    }

    /** Starts the relay's thread, once the database is ready and the pod registered. */
    synchronized void start() {
        if (!running) {
            running = true;
            thread = Thread.ofVirtual().name("job-relay").start(this::loop);
        }
    }

    /** Stops publishing at shutdown, before the database pool closes (which comes after every observer). */
    synchronized void stop(@Observes @Priority(900) ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                wakeUp.tryAcquire(config.leaseRenew().toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                while (running && publishRound()) {
                    // each round gives every pending job one page, so a large job cannot hold a small one back
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                Log.warnf("Job relay of pod %s paused: %s", podId, e.toString());
                pause();
            }
        }
    }

    /** One page for every pending job; false once no job had anything left to publish. */
    private boolean publishRound() throws InterruptedException {
        List<UUID> jobs;
        synchronized (pending) {
            jobs = new ArrayList<>(pending);
        }
        boolean any = false;
        for (UUID jobId : jobs) {
            int room = awaitRoom(jobs.size());
            int published = publishPage(jobId, room);
            if (published == 0) {
                synchronized (pending) {
                    pending.remove(jobId);
                }
            }
            any |= published > 0;
        }
        return any;
    }

    /** Waits for a fair share of the window to be free, and takes it. */
    private int awaitRoom(int jobs) throws InterruptedException {
        int share = Math.max(1, Math.min(config.relayPage(), config.relayWindow() / Math.max(1, jobs)));
        window.acquire(share);
        return share;
    }

    /**
     * Publishes up to {@code room} of the job's unpublished items; returns how many it found. In-process the page is
     * marked in the transaction that selects it, since the messages are in memory from the moment they are sent;
     * with the outbox, once the broker has confirmed them.
     */
    private int publishPage(UUID jobId, int room) throws InterruptedException {
        LeaseRepository.Page page;
        try {
            page = leases.page(jobId, podId, room, !config.outbox());
        } catch (RuntimeException | InterruptedException e) {
            window.release(room); // nothing was sent: a database that was away must not shrink the window for good
            throw e;
        }
        window.release(room - page.indexes().size());
        if (page.indexes().isEmpty()) {
            return 0;
        }
        CompletableFuture<List<Integer>> sent = dispatcher.dispatch(jobId, page.indexes(), page.traceParent(),
                window::release);
        if (config.outbox()) {
            // in-process the sends complete only as items finish; with the broker, at its confirms
            leases.markPublished(jobId, confirmed(sent));
        }
        return page.indexes().size();
    }

    private static List<Integer> confirmed(CompletableFuture<List<Integer>> sent) throws InterruptedException {
        try {
            return sent.get();
        } catch (ExecutionException e) {
            return List.of(); // not reached: a refused send is left out of the list, not failed
        }
    }

    private void pause() {
        try {
            Thread.sleep(config.leaseRenew().toMillis()); // the database is away; the next round tries again
        } catch (InterruptedException e) {
            running = false;
        }
    }
}
