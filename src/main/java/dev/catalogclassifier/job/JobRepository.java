package dev.catalogclassifier.job;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.Item;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.database.Blocking;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the job workers read and write, for callers on virtual threads: every method blocks until the database has
 * answered, through the one bridge ({@link Blocking}), and throws {@link InterruptedException} when the service
 * stops. The per-item paths (an item's text, its result) use the SQL client with one statement per run of items, not
 * entities: at a few hundred items a second, loading, dirty-checking and flushing a {@link JobItem} per result was,
 * with the result cache's HQL query, 18 % of a job's service CPU (docs/benchmarks.md, "The hot path").
 */
@ApplicationScoped
public class JobRepository {

    private static final String QUEUED = """
            SELECT idx, item_id, name, description, image_url, attributes FROM job_item
            WHERE job_id = $1 AND idx = ANY($2) AND status = 'queued'""";

    private static final String LOCK_JOB = """
            SELECT status, total, succeeded, failed, rejected, cancelled, cached, review, settled_locally,
                   cascade_calibrated, cascade_chance_sum, tokens_saved, cost_saved_usd, stop_reason, prompt_tokens,
                   cached_tokens, completion_tokens, cost_usd, attempts, event_seq, started_at, finished_at
            FROM job WHERE id = $1 FOR UPDATE""";

    private static final String STILL_QUEUED =
            "SELECT idx FROM job_item WHERE job_id = $1 AND idx = ANY($2) AND status = 'queued'";

    /** A run's results in one statement, a column an array ({@link JobResults#rows}): one execution per run. */
    private static final String STORE_ITEMS = """
            UPDATE job_item i SET status = r.status, category = r.category, confidence = r.confidence,
                   error_code = r.error_code, error_message = r.error_message, error_value = r.error_value,
                   error_threshold = r.error_threshold, features = r.features, candidates = r.candidates,
                   summary = r.summary, processing_type = r.processing_type, attempts = i.attempts + r.attempts,
                   latency_ms = r.latency_ms, cached = r.cached, model = r.model, prompt_tokens = r.prompt_tokens,
                   cached_tokens = r.cached_tokens, completion_tokens = r.completion_tokens, cost_usd = r.cost_usd,
                   chance = r.chance, review = r.review, seq = r.seq
            FROM unnest($2::int[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::float8[],
                        $9::float8[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::int8[],
                        $16::bool[], $17::text[], $18::int[], $19::int[], $20::int[], $21::float8[], $22::float8[],
                        $23::bool[], $24::int8[])
                 AS r(idx, status, category, confidence, error_code, error_message, error_value, error_threshold,
                      features, candidates, summary, processing_type, attempts, latency_ms, cached, model,
                      prompt_tokens, cached_tokens, completion_tokens, cost_usd, chance, review, seq)
            WHERE i.job_id = $1 AND i.idx = r.idx""";

    private static final String STORE_JOB = """
            UPDATE job SET status = $2, succeeded = $3, failed = $4, rejected = $5, cancelled = $6, cached = $7,
                   review = $8, settled_locally = $9, cascade_calibrated = $10, cascade_chance_sum = $11,
                   tokens_saved = $12, cost_saved_usd = $13, stop_reason = $14, prompt_tokens = $15,
                   cached_tokens = $16, completion_tokens = $17, cost_usd = $18, attempts = $19, event_seq = $20,
                   started_at = $21, finished_at = $22
            WHERE id = $1""";

    private static final String NOTIFY = "SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id";

    private final Pool pool;
    private final ObjectMapper json;

    public JobRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** An item still waiting for its result, as it was submitted. */
    public record QueuedItem(int index, Item item) {
    }

    /** A result to store; {@code costOnly}: its item was stopped, not answered, so only what it cost counts. */
    public record Write(UUID jobId, ItemResult result, boolean costOnly) {
    }

    /** What storing did: per write, in order, whether it was stored; and the jobs it finished. */
    public record Stored(List<Boolean> fresh, List<Job> finished) {
    }

    /** The job, or null if it no longer exists. */
    public Job job(UUID jobId) throws InterruptedException {
        return Blocking.await(() -> Panache.withSession(() -> Job.<Job>findById(jobId)));
    }

    /** A job is running from the moment a worker takes its first item, not from its first result. */
    public void markRunning(UUID jobId) throws InterruptedException {
        Blocking.await(() -> Panache.withTransaction(() -> Job.update(
                "status = ?1, startedAt = ?2 where id = ?3 and status = ?4", JobStatus.RUNNING, Instant.now(),
                jobId, JobStatus.QUEUED)));
    }

    /** Those of the items that are still queued, read in one query: a message carries only its item's index. */
    public List<QueuedItem> queued(UUID jobId, List<Integer> indexes) throws InterruptedException {
        return Blocking.await(() -> pool.preparedQuery(QUEUED).execute(Tuple.of(jobId, indexes.toArray(Integer[]::new)))
                .map(rows -> {
                    List<QueuedItem> items = new ArrayList<>(rows.size());
                    rows.forEach(row -> items.add(new QueuedItem(row.getInteger("idx"), JobItem.item(
                            row.getString("item_id"), row.getString("name"), row.getString("description"),
                            row.getString("image_url"), row.getString("attributes"), json))));
                    return items;
                }));
    }

    /**
     * Stores results in one transaction. Per job: its row is locked (so event ids are handed out in commit order),
     * every item still queued gets its result and the job's next event id in one batched statement, and the job's
     * totals are written once. A result for an item that holds one already (a message delivered twice) or that was
     * cancelled only adds what it cost. Subscribers on every pod are told on commit (LISTEN/NOTIFY).
     */
    public Stored store(List<Write> writes) throws InterruptedException {
        Map<UUID, List<Integer>> byJob = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            byJob.computeIfAbsent(writes.get(i).jobId(), k -> new ArrayList<>()).add(i);
        }
        Boolean[] fresh = new Boolean[writes.size()];
        List<Job> finished = new ArrayList<>();
        Blocking.await(() -> pool.withTransaction(connection -> Multi.createFrom().iterable(byJob.entrySet())
                .onItem().transformToUniAndConcatenate(e -> storeJob(connection, e.getKey(),
                        e.getValue().stream().map(writes::get).toList(), e.getValue(), fresh, finished))
                .collect().last()
                .chain(() -> notify(connection, JobEvents.EVENTS, byJob.keySet()))));
        List<Boolean> outcome = new ArrayList<>(fresh.length);
        for (Boolean f : fresh) {
            outcome.add(Boolean.TRUE.equals(f));
        }
        return new Stored(outcome, finished);
    }

    private Uni<Void> storeJob(SqlConnection connection, UUID jobId, List<Write> writes, List<Integer> positions,
            Boolean[] fresh, List<Job> finished) {
        Integer[] indexes = writes.stream().map(w -> w.result().index()).toArray(Integer[]::new);
        return connection.preparedQuery(LOCK_JOB).execute(Tuple.of(jobId)).chain(locked -> {
            if (locked.size() == 0) {
                return Uni.createFrom().voidItem(); // the job was removed meanwhile
            }
            Job job = JobRows.totals(jobId, locked.iterator().next());
            return connection.preparedQuery(STILL_QUEUED).execute(Tuple.of(jobId, indexes)).chain(queuedRows -> {
                Set<Integer> queued = new HashSet<>();
                queuedRows.forEach(row -> queued.add(row.getInteger("idx")));
                long firstSeq = job.eventSeq + 1;
                List<ItemResult> items = apply(job, writes, positions, queued, fresh);
                boolean done = JobRows.advance(job);
                if (done) {
                    finished.add(job);
                }
                Uni<?> stored = items.isEmpty() ? Uni.createFrom().voidItem()
                        : connection.preparedQuery(STORE_ITEMS).execute(JobResults.rows(jobId, items, firstSeq));
                return stored.chain(() -> connection.preparedQuery(STORE_JOB).execute(JobRows.totals(job)))
                        .replaceWithVoid();
            });
        });
    }

    /**
     * Counts each result into the job's totals; the results it stores, in order, each taking the job's next event
     * id.
     */
    private static List<ItemResult> apply(Job job, List<Write> writes, List<Integer> positions, Set<Integer> queued,
            Boolean[] fresh) {
        List<ItemResult> items = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            // removed once stored: a second copy of the same item in this batch is not fresh
            boolean isFresh = !write.costOnly() && queued.remove(write.result().index());
            fresh[positions.get(i)] = isFresh;
            if (isFresh) {
                JobResults.count(job, write.result());
                items.add(write.result());
                job.eventSeq++;
            } else {
                // cancelled, or answered already by a copy of its message: its calls were paid for
                JobResults.spent(job, write.result());
            }
        }
        return items;
    }

    private static Uni<Void> notify(SqlConnection connection, String channel, Set<UUID> jobIds) {
        return connection.preparedQuery(NOTIFY)
                .execute(Tuple.of(channel, jobIds.stream().map(UUID::toString).toArray(String[]::new)))
                .replaceWithVoid();
    }


    /** The job's totals as rows of the SQL client, on a {@link Job} that no session manages. */
    private static final class JobRows {

        private JobRows() {
        }

        static Job totals(UUID id, Row row) {
            Job job = new Job();
            job.id = id;
            job.status = JobStatus.valueOf(row.getString("status"));
            job.total = row.getInteger("total");
            job.succeeded = row.getInteger("succeeded");
            job.failed = row.getInteger("failed");
            job.rejected = row.getInteger("rejected");
            job.cancelled = row.getInteger("cancelled");
            job.cached = row.getInteger("cached");
            job.review = row.getInteger("review");
            job.settledLocally = row.getInteger("settled_locally");
            job.cascadeCalibrated = row.getInteger("cascade_calibrated");
            job.cascadeChanceSum = row.getDouble("cascade_chance_sum");
            job.tokensSaved = row.getLong("tokens_saved");
            job.costSavedUsd = row.getDouble("cost_saved_usd");
            job.stopReason = row.getString("stop_reason");
            job.promptTokens = row.getLong("prompt_tokens");
            job.cachedTokens = row.getLong("cached_tokens");
            job.completionTokens = row.getLong("completion_tokens");
            job.costUsd = row.getDouble("cost_usd");
            job.attempts = row.getLong("attempts");
            job.eventSeq = row.getLong("event_seq");
            job.startedAt = instant(row.getOffsetDateTime("started_at"));
            job.finishedAt = instant(row.getOffsetDateTime("finished_at"));
            return job;
        }

        static Tuple totals(Job job) {
            return Tuple.from(java.util.Arrays.asList(job.id, job.status.name(), job.succeeded, job.failed,
                    job.rejected, job.cancelled, job.cached, job.review, job.settledLocally, job.cascadeCalibrated,
                    job.cascadeChanceSum, job.tokensSaved, job.costSavedUsd, job.stopReason, job.promptTokens,
                    job.cachedTokens, job.completionTokens, job.costUsd, job.attempts, job.eventSeq,
                    offset(job.startedAt), offset(job.finishedAt)));
        }

        /** A job's first results make it running; its last, completed (or failed, if none succeeded). */
        static boolean advance(Job job) {
            if (job.status == JobStatus.QUEUED) {
                job.status = JobStatus.RUNNING;
                job.startedAt = Instant.now();
            }
            if (job.status == JobStatus.RUNNING && job.done() >= job.total) {
                job.status = job.succeeded == 0 && job.failed > 0 ? JobStatus.FAILED : JobStatus.COMPLETED;
                job.finishedAt = Instant.now();
                return true;
            }
            return false;
        }

        private static Instant instant(java.time.OffsetDateTime time) {
            return time == null ? null : time.toInstant();
        }

        private static java.time.OffsetDateTime offset(Instant time) {
            return time == null ? null : time.atOffset(ZoneOffset.UTC);
        }
    }
}
