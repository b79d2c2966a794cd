package dev.catalogclassifier.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.auth.Caller;
import dev.catalogclassifier.classify.Item;
import dev.catalogclassifier.classify.ValidatedRequest;
import dev.catalogclassifier.problem.ConflictException;
import dev.catalogclassifier.problem.NotFoundException;
import dev.catalogclassifier.tracing.Traces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Creates, reads, retries and cancels jobs; their items go to the workers through {@link JobDispatcher}. */
@ApplicationScoped
public class JobService {

    private static final int INSERT_CHUNK = 1_000;
    private static final String INSERT_ITEMS = """
            INSERT INTO job_item (job_id, idx, owner, published, status, item_id, name, description, image_url,
                                  attributes)
            SELECT ?1, i.idx, ?2, false, 'queued', i.item_id, i.name, i.description, i.image_url, i.attributes
            FROM unnest(CAST(?3 AS int[]), CAST(?4 AS text[]), CAST(?5 AS text[]), CAST(?6 AS text[]),
                        CAST(?7 AS text[]), CAST(?8 AS text[]))
                 AS i(idx, item_id, name, description, image_url, attributes)""";
    /** Items from which a submit has PostgreSQL analyse {@code job_item} again before the job's items go out. */
    static final int ANALYSE_FROM = 1_000;
    /**
     * How long the items wait for that analyse at most: it waits for a running autovacuum of the table, which only
     * an anti-wraparound one does not cut short. The analyse goes on past this; the items go out.
     */
    private static final java.time.Duration ANALYSE_WAIT = java.time.Duration.ofSeconds(5);

    private final JobDispatcher dispatcher;
    private final ObjectMapper json;
    /** Items submitted or retried here are owned by this pod: its relay publishes them. */
    private final String podId;
    private final JobRelay relay;
    private final Pool pool;

    public JobService(JobDispatcher dispatcher, ObjectMapper json, PodIdentity pod, JobRelay relay, Pool pool) {
        this.dispatcher = dispatcher;
        this.json = json;
        this.podId = pod.id();
        this.relay = relay;
        this.pool = pool;
    }

    /**
     * Stores the job and all its items in one transaction, unpublished and owned by this pod, then wakes its relay:
     * once the commit is answered, the items reach the workers even if this pod dies now (another pod's relay takes
     * them over).
     */
    /**
     * Stores a job and its items, to run.
     *
     * @param columns the input's columns as the caller named them (an uploaded file's header); null: those of the
     *        JSON items ({@link InputColumns#of})
     */
    public Uni<Job> submit(ValidatedRequest request, String execution, Double budgetUsd, Caller caller,
            List<String> columns) {
        Job job = newJob(request, execution, budgetUsd);
        job.tenant = caller.tenant();
        job.columns = write(columns != null ? columns : InputColumns.of(request.items()).names());
        // a batch-api job's items wait in the database for the Batch API runner to plan them into batches
        return Panache.withTransaction(() -> job.persist().chain(() -> insert(job.id, request.items())))
                .invoke(() -> {
                    if (!Execution.BATCH_API.equals(execution)) {
                        start(job.id, request.items().size());
                    }
                })
                .replaceWith(job);
    }

    /**
     * Wakes the relay for a job just stored. A large one first has {@code job_item} analysed: until autovacuum gets
     * to it (a minute or more), PostgreSQL plans the workers' reads of the job's items as if it had none, and read
     * all of a job's queued rows to find a run's 32 (61 ms a run in a 100,000-item job). The caller's answer does not
     * wait for it. An analyse that fails, or that PostgreSQL skips (the user does not own the table), only costs the
     * better plans.
     */
    private void start(UUID jobId, int items) {
        if (items < ANALYSE_FROM) {
            relay.wake(jobId);
            return;
        }
        pool.query("ANALYZE job_item").execute().ifNoItem().after(ANALYSE_WAIT).fail()
                .subscribe().with(done -> relay.wake(jobId), failure -> {
                    Log.debugf("job_item not analysed in time after job %s was stored: %s", jobId, failure.toString());
                    relay.wake(jobId);
                });
    }

    /** The job, if the caller may see it: another tenant's job is as unknown as one that never existed (404). */
    public Uni<Job> find(UUID id, Caller caller) {
        return Panache.withSession(() -> Job.<Job>findById(id))
                .map(job -> job != null && caller.sees(job.tenant) ? job : null)
                .onItem().ifNull().failWith(() -> notFound(id));
    }

    public Uni<List<Job>> recent(int offset, int limit, Caller caller) {
        return Panache.withSession(() -> (caller.admin() ? Job.<Job>findAll(Sort.descending("createdAt"))
                : Job.<Job>find("tenant = ?1", Sort.descending("createdAt"), caller.tenant()))
                .range(offset, offset + limit - 1).list());
    }

    public Uni<Long> count(Caller caller) {
        return Panache.withSession(() -> caller.admin() ? Job.count() : Job.count("tenant = ?1", caller.tenant()));
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("job-not-found", "No job with id " + id);
    }

    /** One page of results in item order, optionally only those with {@code status}. */
    /** Which results a page or an export holds: of one status (null: any), marked for review or not (null: either). */
    public record Filter(String status, Boolean review) {

        public static final Filter ALL = new Filter(null, null);

        String where() {
            return "jobId = ?1" + (status == null ? "" : " and status = ?2") + (review == null ? "" : " and review = " + review);
        }

        Object[] params(UUID id) {
            return status == null ? new Object[] {id} : new Object[] {id, status};
        }
    }

    public Uni<List<JobItem>> results(UUID id, Filter filter, int offset, int limit) {
        return Panache.withSession(() -> JobItem.<JobItem>find(filter.where(), Sort.by("idx"), filter.params(id))
                .range(offset, offset + limit - 1).list());
    }

    public Uni<Long> countResults(UUID id, Filter filter) {
        return Panache.withSession(() -> JobItem.count(filter.where(), filter.params(id)));
    }

    /** Events after {@code afterSeq}, in event order. */
    Uni<List<JobItem>> eventsAfter(UUID id, long afterSeq, int limit) {
        return Panache.withSession(() -> JobItem.<JobItem>find("jobId = ?1 and seq > ?2", Sort.by("seq"), id, afterSeq)
                .range(0, limit - 1).list());
    }

    /**
     * Runs the failed items of a finished job again. A job still running answers 409, and so does one with no failed
     * item (a retry there would count as one and change nothing).
     */
    public Uni<Job> retry(UUID id, Caller caller) {
        return Panache.withTransaction(() -> locked(id, caller).chain(job -> {
            if (!job.status.finished()) {
                return Uni.createFrom().failure(new ConflictException("job-running",
                        "Job " + id + " is " + job.status.label() + "; retry it once it has finished"));
            }
            return JobItem.<JobItem>list("jobId = ?1 and status = 'failed'", id).map(failed -> {
                if (failed.isEmpty()) {
                    throw new ConflictException("nothing-to-retry", "Job " + id + " has no failed items to run again");
                }
                requeue(job, failed, podId);
                return job;
            }).call(() -> JobEvents.notifyAll(List.of(id)));
        })).invoke(job -> relay.wake(id));
    }

    /** Cancels a job: queued items become cancelled, and no worker starts a model call for it again. */
    public Uni<Job> cancel(UUID id, Caller caller) {
        return Panache.withTransaction(() -> locked(id, caller).chain(job -> job.status.finished()
                ? Uni.createFrom().item(job)
                : JobItem.update("status = 'cancelled', errorCode = 'cancelled', errorMessage = ?2 "
                        + "where jobId = ?1 and status = 'queued'", id, "the job was cancelled before this item ran")
                        .map(count -> {
                            job.cancelled += count;
                            job.status = JobStatus.CANCELLED;
                            job.finishedAt = Instant.now();
                            return job;
                        })
                        .call(() -> JobEvents.notifyCancelled(id))
                        .call(() -> JobEvents.notifyAll(List.of(id)))))
                .invoke(job -> dispatcher.cancelled(id));
    }

    Uni<Job> locked(UUID id, Caller caller) {
        return Job.<Job>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .map(job -> job != null && caller.sees(job.tenant) ? job : null)
                .onItem().ifNull().failWith(() -> notFound(id));
    }

    private static void requeue(Job job, List<JobItem> failed, String owner) {
        failed.forEach(row -> {
            row.status = JobItem.QUEUED;
            row.owner = owner;
            row.published = false;
        });
        if (!failed.isEmpty()) {
            job.failed -= failed.size();
            job.status = JobStatus.RUNNING;
            job.finishedAt = null;
        }
        job.retries++;
    }

    /**
     * Inserts the items a chunk at a time, one statement per chunk with a column an array, in the submit's
     * transaction: a 100,000-item job is 100 statements, and never sits whole in the session as entities.
     */
    private Uni<Void> insert(UUID jobId, List<Item> items) {
        List<Integer> starts = new ArrayList<>();
        for (int from = 0; from < items.size(); from += INSERT_CHUNK) {
            starts.add(from);
        }
        // the job's row first: the items' foreign key needs it, and a native statement does not flush the session
        return Panache.getSession().chain(session -> session.flush().chain(() -> Multi.createFrom().iterable(starts)
                .onItem().transformToUniAndConcatenate(from -> insertChunk(session, jobId, items, from))
                .collect().last().replaceWithVoid()));
    }

    private Uni<Integer> insertChunk(Mutiny.Session session, UUID jobId, List<Item> items, int from) {
        int n = Math.min(items.size(), from + INSERT_CHUNK) - from;
        Integer[] index = new Integer[n];
        String[] itemId = new String[n];
        String[] name = new String[n];
        String[] description = new String[n];
        String[] imageUrl = new String[n];
        String[] attributes = new String[n];
        for (int i = 0; i < n; i++) {
            Item item = items.get(from + i);
            index[i] = from + i;
            itemId[i] = item.id();
            name[i] = item.name();
            description[i] = item.description();
            imageUrl[i] = item.imageUrl();
            attributes[i] = item.attributes() == null ? null : write(item.attributes());
        }
        // owned by this pod, whose relay publishes them; unpublished until then (with the outbox: until confirmed)
        return session.createNativeQuery(INSERT_ITEMS).setParameter(1, jobId).setParameter(2, podId)
                .setParameter(3, index).setParameter(4, itemId).setParameter(5, name).setParameter(6, description)
                .setParameter(7, imageUrl).setParameter(8, attributes).executeUpdate();
    }

    private Job newJob(ValidatedRequest request, String execution, Double budgetUsd) {
        Job job = new Job();
        job.id = UUID.randomUUID();
        job.status = JobStatus.QUEUED;
        job.execution = execution;
        job.mode = request.mode().name().toLowerCase(java.util.Locale.ROOT);
        job.model = request.model();
        job.taxonomy = write(request.taxonomy().categories());
        job.taxonomyName = request.taxonomyName();
        job.strategy = request.strategy().name().toLowerCase(java.util.Locale.ROOT);
        job.budgetUsd = budgetUsd;
        job.pack = request.pack();
        job.explain = request.explain();
        job.cascadePrecision = request.cascadePrecision();
        job.useCache = request.useCache();
        job.imageDetail = request.detail().label();
        job.total = request.items().size();
        job.createdAt = Instant.now();
        job.traceParent = Traces.traceParent();
        return job;
    }

    /** The input's columns of a job, as stored. */
    InputColumns columns(Job job) {
        if (job.columns == null) {
            return new InputColumns(InputColumns.of(List.of()).names());
        }
        try {
            return new InputColumns(json.readValue(job.columns, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored columns of job " + job.id + " are not JSON", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON", e);
        }
    }
}
