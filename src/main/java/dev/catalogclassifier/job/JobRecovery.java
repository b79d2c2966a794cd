package dev.catalogclassifier.job;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import dev.catalogclassifier.database.Database;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;
import io.quarkus.vertx.VertxContextSupport;

/**
 * With the in-process channel, a killed process takes its queue with it; the items stay {@code queued} in the
 * database. At start-up this hands them to the workers again. Items that were being classified at the kill
 * run a second time; the unique (job, index) key keeps one result each. Off with RabbitMQ, which redelivers
 * unacknowledged messages itself ({@code classifier.jobs.recover-on-start}). It assumes one node per database
 * when in-process: several in-process nodes would each re-queue the same items.
 */
@ApplicationScoped
public class JobRecovery {

    private static final int PAGE = 1_000;

    /**
     * Items an open Batch API batch still carries are the runner's, not the workers'; those of a finished batch
     * that are queued again were retried, and run in realtime.
     */
    private static final String NOT_IN_OPEN_BATCH = " and not exists (from ProviderBatch b where b.jobId = ?1"
            + " and b.status not in ('done', 'cancelled') and idx >= b.firstIndex and idx < b.firstIndex + b.itemCount)";

    private final JobDispatcher dispatcher;
    private final JobsConfig config;

    public JobRecovery(JobDispatcher dispatcher, JobsConfig config) {
        this.dispatcher = dispatcher;
        this.config = config;
    }

    void recover(@ObservesAsync Database.Ready ready) throws Throwable {
        if (!config.recoverOnStart()) {
            return;
        }
        List<Job> unfinished = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(
                () -> Job.<Job>list("status in ?1", List.of(JobStatus.QUEUED, JobStatus.RUNNING))));
        for (Job job : unfinished) {
            if (Execution.BATCH_API.equals(job.execution) && job.status == JobStatus.QUEUED) {
                continue; // not planned into batches yet: the Batch API runner does that
            }
            int requeued = requeue(job);
            Log.infof("Job %s: %d unfinished item(s) queued again after a restart", job.id, requeued);
        }
    }

    private int requeue(Job job) throws Throwable {
        int count = 0;
        int lastIndex = -1;
        while (true) {
            int after = lastIndex;
            List<JobItem> page = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> JobItem
                    .<JobItem>find("jobId = ?1 and status = 'queued' and idx > ?2" + NOT_IN_OPEN_BATCH, Sort.by("idx"), job.id, after)
                    .range(0, PAGE - 1).list()));
            if (page.isEmpty()) {
                return count;
            }
            dispatcher.dispatch(job.id, page);
            count += page.size();
            lastIndex = page.getLast().idx;
        }
    }
}
