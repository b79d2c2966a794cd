package dev.catalogclassifier.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.auth.Caller;
import dev.catalogclassifier.classify.Lessons;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The caller's corrections and confirmations of a job's results. A correction changes the stored result (its category;
 * no longer marked for review) and, like a confirmation, becomes an example of the job's named taxonomy in the
 * caller's tenant, so the next items like it are answered that way. Only results that are {@code ok} take feedback.
 */
@ApplicationScoped
public class JobFeedbackService {

    /** Results corrected or confirmed in one call at most. */
    static final int MAX_ITEMS = 1000;
    private static final TypeReference<List<String>> CATEGORIES = new TypeReference<>() { };

    private final JobService jobs;
    private final Lessons lessons;
    private final ObjectMapper json;

    public JobFeedbackService(JobService jobs, Lessons lessons, ObjectMapper json) {
        this.jobs = jobs;
        this.lessons = lessons;
        this.json = json;
    }

    public Uni<JobFeedback.Applied> apply(UUID id, JobFeedback body, Caller caller) {
        List<JobFeedback.Entry> entries = shape(body);
        List<Lessons.Taught> taught = new ArrayList<>();
        int[] counts = new int[2];
        return Panache.withTransaction(() -> jobs.locked(id, caller).chain(job -> JobItem.<JobItem>list("jobId = ?1 and itemId in ?2",
                        id, entries.stream().map(JobFeedback.Entry::id).toList())
                .invoke(rows -> apply(job, entries, rows, taught, counts)).replaceWith(job)))
                .chain(job -> job.taxonomyName == null || taught.isEmpty() ? Uni.createFrom().item(0)
                        : lessons.taught(job.tenant, job.taxonomyName, taught))
                .map(examples -> new JobFeedback.Applied(counts[0], counts[1], examples));
    }

    /** The body's shape: 1 to {@link #MAX_ITEMS} entries, each an id with a category or a confirmation. */
    private static List<JobFeedback.Entry> shape(JobFeedback body) {
        if (body == null || body.items() == null || body.items().isEmpty() || body.items().size() > MAX_ITEMS) {
            throw new InvalidRequestException(List.of(new FieldError("items", "must hold 1 to " + MAX_ITEMS
                    + " results, each {\"id\": …, \"category\": …} or {\"id\": …, \"confirm\": true}")));
        }
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < body.items().size(); i++) {
            JobFeedback.Entry e = body.items().get(i);
            if (e == null || e.id() == null || e.id().isBlank()) {
                errors.add(new FieldError("items[" + i + "].id", "is required"));
            } else if ((e.category() == null) == !e.confirms()) {
                errors.add(new FieldError("items[" + i + "]", "needs either a category (a correction) or confirm: true"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return body.items();
    }

    private void apply(Job job, List<JobFeedback.Entry> entries, List<JobItem> rows, List<Lessons.Taught> taught, int[] counts) {
        Map<String, JobItem> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.itemId, r));
        Taxonomy taxonomy = new Taxonomy(categories(job));
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JobFeedback.Entry e = entries.get(i);
            JobItem row = byId.get(e.id());
            String category = e.category() == null ? null : taxonomy.match(e.category()).orElse(null);
            if (row == null || !"ok".equals(row.status)) {
                errors.add(new FieldError("items[" + i + "].id", row == null ? "\"" + e.id() + "\" is not an item of this job"
                        : "\"" + e.id() + "\" is " + row.status + ", not ok: only answered items take feedback"));
            } else if (e.category() != null && category == null) {
                errors.add(new FieldError("items[" + i + "].category", "\"" + e.category() + "\" is not one of the job's categories"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        String origin = "job:" + job.id;
        for (JobFeedback.Entry e : entries) {
            JobItem row = byId.get(e.id());
            if (row.review) {
                job.review--;
            }
            row.review = false;
            row.corrected = true;
            // naming the category it already has confirms it
            boolean confirms = e.confirms() || taxonomy.match(e.category()).orElseThrow().equals(row.category);
            if (confirms) {
                counts[1]++;
            } else {
                row.category = taxonomy.match(e.category()).orElseThrow();
                row.chance = null; // the caller's word, not the service's estimate
                counts[0]++;
            }
            boolean ofModel = row.model != null && !dev.catalogclassifier.local.LocalClassifier.MODEL.equals(row.model);
            taught.add(new Lessons.Taught(row.name, row.description, row.category, confirms, ofModel, origin));
        }
    }

    private List<String> categories(Job job) {
        try {
            return json.readValue(job.taxonomy, CATEGORIES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored taxonomy of job " + job.id + " is not JSON", e);
        }
    }
}
