package dev.catalogclassifier.job;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.metrics.ClassifierMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Removes finished jobs once their retention has passed (and the rows of pods gone for a day: their items were taken
 * over long since, and the {@code pod} table stays the size of the deployment), and keeps the job gauges (backlog, jobs by status)
 * in step with the database. Both are cheap aggregate queries; every pod runs them, which is harmless.
 */
@ApplicationScoped
public class JobMaintenance {

    private final JobsConfig config;
    private final Database database;
    private final ClassifierMetrics metrics;

    public JobMaintenance(JobsConfig config, Database database, ClassifierMetrics metrics) {
        this.config = config;
        this.database = database;
        this.metrics = metrics;
    }

    @Scheduled(every = "${classifier.jobs.cleanup-every:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> cleanUp() {
        if (!database.ready()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                        .createNativeQuery("DELETE FROM pod WHERE heartbeat_at < now() - interval '1 day'").executeUpdate()))
                .chain(() -> removeFinishedBefore(Instant.now().minus(config.retention())))
                .invoke(removed -> {
                    if (removed > 0) {
                        Log.infof("Removed %d finished job(s) older than %s", removed, config.retention());
                    }
                })
                .onFailure().invoke(e -> Log.warnf("Job cleanup skipped: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes jobs that finished before {@code cutoff}, with their items (ON DELETE CASCADE). */
    public Uni<Long> removeFinishedBefore(Instant cutoff) {
        return Panache.withTransaction(() -> Job.delete("finishedAt < ?1", cutoff));
    }

    @Scheduled(every = "${classifier.jobs.metrics-every:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        if (!database.ready()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createSelectionQuery("select status, count(*), sum(total - succeeded - failed - rejected - cancelled) "
                        + "from Job group by status", Object[].class).getResultList()))
                .invoke(this::publish)
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void publish(List<Object[]> rows) {
        Map<String, Long> byStatus = new HashMap<>();
        long queued = 0;
        for (Object[] row : rows) {
            JobStatus status = (JobStatus) row[0];
            byStatus.put(status.label(), ((Number) row[1]).longValue());
            if (!status.finished() && row[2] != null) {
                queued += ((Number) row[2]).longValue();
            }
        }
        metrics.jobs(queued, byStatus);
    }
}
