package dev.catalogclassifier.job;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.auth.Caller;
import dev.catalogclassifier.classify.Progress;
import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.shutdown.Draining;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * A job's events, read from the database in event-id order: {@code item} for each stored result (its id is
 * the result's {@code seq}), then {@code progress}, and {@code status} whenever the status changes. Resuming
 * after {@code Last-Event-ID} is a query for ids above it, so there is no gap and no repeat. The stream ends
 * after the {@code status} event of a finished job.
 */
@ApplicationScoped
public class JobEventStream {

    private static final int PAGE = 500;

    private final JobService jobs;
    private final JobEvents events;
    private final Duration idleLook;
    private final JobViews views;
    private final Draining draining;

    /** One SSE event: name, id and JSON data. */
    @RegisterForReflection
    public record Event(String name, long id, Object data) {
    }

    public JobEventStream(JobService jobs, JobEvents events, JobsConfig config, JobViews views, Draining draining) {
        this.views = views;
        this.jobs = jobs;
        this.events = events;
        this.idleLook = config.eventsPoll();
        this.draining = draining;
    }

    public Multi<Event> follow(UUID jobId, long afterId) {
        return Multi.createFrom().emitter(emitter -> Thread.ofVirtual().name("job-events-" + jobId)
                .start(() -> run(jobId, afterId, emitter)));
    }

    private void run(UUID jobId, long afterId, MultiEmitter<? super Event> emitter) {
        try (JobEvents.Signal signal = events.subscribe(jobId)) {
            long cursor = afterId;
            JobStatus shown = null;
            while (!emitter.isCancelled()) {
                Job job = Blocking.await(() -> jobs.find(jobId, Caller.OPEN));
                long after = cursor;
                List<JobItem> page = Blocking.await(() -> jobs.eventsAfter(jobId, after, PAGE));
                for (JobItem row : page) {
                    emitter.emit(new Event("item", row.seq, JobResults.toResult(row)));
                    cursor = row.seq;
                }
                if (!page.isEmpty() || shown == null) {
                    emitter.emit(new Event("progress", cursor, progress(job)));
                }
                if (job.status != shown) {
                    shown = job.status;
                    emitter.emit(new Event("status", cursor, views.of(job)));
                }
                if (job.status.finished() && cursor >= job.eventSeq || draining.refusing()) {
                    // a stopping pod ends its streams, so the drain is not held up by them: the browser's
                    // EventSource reconnects, to another pod, from the last id it had
                    emitter.complete();
                    return;
                }
                if (page.size() < PAGE) {
                    signal.await(idleLook);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } catch (Throwable e) {
            Log.warnf("Event stream of job %s ended: %s", jobId, e.toString());
            emitter.fail(e);
        }
    }

    private Progress progress(Job job) {
        JobView view = views.of(job);
        return new Progress(job.done(), job.total, job.failed,
                view.itemsPerSecond() == null ? 0 : view.itemsPerSecond(), view.etaSeconds());
    }
}
