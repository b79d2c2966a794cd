package dev.catalogclassifier.job;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.catalogclassifier.classify.ItemClassifier;
import dev.catalogclassifier.auth.Caller;
import dev.catalogclassifier.auth.Callers;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.NamedTaxonomies;
import dev.catalogclassifier.classify.RequestValidator;
import dev.catalogclassifier.classify.EventStream;
import dev.catalogclassifier.classify.SseEvents;
import dev.catalogclassifier.classify.Strategy;
import dev.catalogclassifier.classify.ValidatedRequest;
import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import dev.catalogclassifier.problem.NotFoundException;
import dev.catalogclassifier.problem.ProblemResponses;
import dev.catalogclassifier.tabular.FileFormat;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/jobs}: durable batch jobs. Every answer goes through {@link Database} for its availability. */
@Tag(name = "Jobs", description = "Durable jobs of up to 100,000 items: submit, follow, page or export results, retry, cancel")
@Path("/api/v1/jobs")
public class JobResource {

    private static final Set<String> STATUSES = Set.of("queued", "ok", "failed", "rejected", "cancelled");

    private final JobService jobs;
    private final JobEventStream events;
    private final ResultFiles files;
    private final JobUploads uploads;
    private final JobBreakdowns breakdowns;
    private final RequestValidator validator;
    private final NamedTaxonomies taxonomies;
    private final JobsConfig config;
    private final Database database;
    private final JobViews views;
    private final SseEvents sseEvents;
    private final Callers callers;
    private final JobFeedbackService feedback;

    public JobResource(JobService jobs, JobEventStream events, ResultFiles files, RequestValidator validator,
            NamedTaxonomies taxonomies, JobsConfig config, Database database, JobViews views,
            SseEvents sseEvents, Callers callers, JobFeedbackService feedback, JobUploads uploads,
            JobBreakdowns breakdowns) {
        this.breakdowns = breakdowns;
        this.uploads = uploads;
        this.feedback = feedback;
        this.callers = callers;
        this.sseEvents = sseEvents;
        this.views = views;
        this.jobs = jobs;
        this.events = events;
        this.files = files;
        this.validator = validator;
        this.taxonomies = taxonomies;
        this.config = config;
        this.database = database;
    }

    @Operation(summary = "Submit a job", description = "Answers 202 once the job and its items have committed; Location names the job")
    @APIResponse(responseCode = "202", description = "Accepted: the job, queued; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobView>> submit(JobRequest body, @Context UriInfo uri) {
        return accept(body, null, uri);
    }

    @Operation(summary = "Submit a job from a CSV or XLSX file", description = "The file's header row names its columns: "
            + "id, name, description, image_url (any case; id and a name or an image_url required), and any others, which "
            + "travel along as attributes and come back in the results file. CSV in UTF-8 (RFC 4180) or an XLSX "
            + "workbook's first sheet, told apart by content. The options part holds the JSON job request's other fields")
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = JobUpload.class)))
    @APIResponse(responseCode = "202", description = "Accepted: the job, queued; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobView>> submitFile(@RestForm("file") FileUpload file, @RestForm("options") String options,
            @Context UriInfo uri) {
        callers.current(); // a caller without credentials learns nothing about the file
        JobRequest request = uploads.options(options);
        return uploads.items(file).chain(items -> accept(request.withItems(items.items()), items.columns(), uri))
                .onFailure(InvalidRequestException.class).transform(e -> ItemFile.asRows((InvalidRequestException) e));
    }

    private Uni<RestResponse<JobView>> accept(JobRequest body, List<String> columns, UriInfo uri) {
        Caller caller = callers.current(); // before validation: a caller without credentials learns nothing else
        ValidatedRequest request = validator.validate(body == null ? null : body.classification(), config.maxItems());
        String execution = execution(body, request);
        return database.guard(taxonomies.resolve(caller.tenant(), request).invoke(resolved -> fitsBatchApi(resolved, execution))
                        .chain(resolved -> jobs.submit(resolved, execution, body.budgetUsd(), caller, columns)))
                .map(job -> RestResponse.ResponseBuilder.<JobView>create(RestResponse.Status.ACCEPTED)
                        .location(uri.getAbsolutePathBuilder().path(job.id.toString()).build())
                        .entity(views.of(job)).build());
    }

    @Operation(summary = "List jobs, newest first")
    @APIResponse(responseCode = "200", description = "A page of jobs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobViewPage.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobPage<JobView>> list(@QueryParam("offset") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @QueryParam("limit") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String limit) {
        int from = offset(offset);
        int size = limit(limit);
        Caller caller = callers.current();
        return database.guard(jobs.recent(from, size, caller).chain(list -> jobs.count(caller).map(total -> new JobPage<>(
                list.stream().map(job -> views.of(job)).toList(), total, from, size))));
    }

    @Operation(summary = "Read a job: status, counts, cost")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobView> get(@PathParam("id") String id) {
        return view(jobs.find(uuid(id), callers.current()));
    }

    @Operation(summary = "Where a job's answers went and how sure they are", description = "The categories with the "
            + "most items (the rest summed) and a histogram of the answers' chance (or confidence) with those marked for review")
    @APIResponse(responseCode = "200", description = "The job's breakdown so far",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobBreakdown.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Path("/{id}/breakdown")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobBreakdown> breakdown(@PathParam("id") String id) {
        return database.guard(jobs.find(uuid(id), callers.current()).chain(breakdowns::of));
    }

    @Operation(summary = "Page through a job's results in item order")
    @APIResponse(responseCode = "200", description = "A page of results",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResultPage.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Path("/{id}/results")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobPage<ItemResult>> results(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("review") @Parameter(description = "true: only the results marked for review") String review,
            @QueryParam("offset") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offset,
            @QueryParam("limit") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String limit) {
        UUID jobId = uuid(id);
        JobService.Filter filter = new JobService.Filter(status(status), review(review));
        int from = offset(offset);
        int size = limit(limit);
        return database.guard(jobs.find(jobId, callers.current())
                .chain(job -> jobs.results(jobId, filter, from, size))
                .chain(rows -> jobs.countResults(jobId, filter).map(total -> new JobPage<>(
                        rows.stream().map(JobResults::toResult).toList(), total, from, size))));
    }

    @Operation(summary = "Export a job's results as CSV", description = "The input's columns in order, then category, "
            + "confidence, review, error and the details; one row per item, in the input's order")
    @APIResponse(responseCode = "200", description = "The results, one row per item, in item order",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Path("/{id}/results")
    @Produces("text/csv")
    @ResponseHeader(name = "Content-Disposition", value = "attachment; filename=\"job-results.csv\"")
    public Multi<String> resultsCsv(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("review") String review) {
        JobService.Filter filter = new JobService.Filter(status(status), review(review));
        return exported(id).onItem().transformToMultiAndConcatenate(job -> files.csv(job, filter));
    }

    @Operation(summary = "Export a job's results as an XLSX workbook", description = "The same columns and rows as the CSV, "
            + "numbers as numbers")
    @APIResponse(responseCode = "200", description = "The results, one row per item, in item order",
            content = @Content(mediaType = FileFormat.XLSX_TYPE, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Path("/{id}/results")
    @Produces(FileFormat.XLSX_TYPE)
    @ResponseHeader(name = "Content-Disposition", value = "attachment; filename=\"job-results.xlsx\"")
    public Multi<byte[]> resultsXlsx(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("review") String review) {
        JobService.Filter filter = new JobService.Filter(status(status), review(review));
        return exported(id).onItem().transformToMultiAndConcatenate(job -> files.xlsx(job, filter));
    }

    /** The job to export: looked up first, so an unknown job is a 404 before any byte of the file is sent. */
    private Multi<Job> exported(String id) {
        return Multi.createFrom().uni(database.guard(jobs.find(uuid(id), callers.current())));
    }

    @Operation(summary = "Follow a job as server-sent events", description = "One item event per stored result, with its event id; Last-Event-ID resumes with no gap and no repeat")
    @APIResponse(responseCode = "200", description = "item, progress and status events until the job ends",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RunOnVirtualThread
    public Response events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("last_event_id") String lastEventIdParam, @Context RoutingContext http)
            throws InterruptedException {
        UUID jobId = uuid(id);
        long after = lastEventId(lastEventId != null ? lastEventId : lastEventIdParam);
        // looked up before the stream opens, whose 200 goes out with its first byte: a job that does not exist (or is
        // another tenant's) is a 404 problem, not a stream that ends at once and that an EventSource reopens forever
        Caller caller = callers.current();
        Blocking.await(() -> database.guard(jobs.find(jobId, caller)));
        Multi<byte[]> frames = events.follow(jobId, after)
                .map(event -> sseEvents.frames(new SseEvents.Event(event.name(), String.valueOf(event.id()), event.data())));
        return Response.ok(new EventStream(frames, http), MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    @Operation(summary = "Correct or confirm results of a job", description = "Each by its item's id: the right "
            + "category, or confirm: true. The results change at once; corrections and confirmations become examples of "
            + "the job's named taxonomy (the caller's own)")
    @APIResponse(responseCode = "200", description = "What was applied",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobFeedback.Applied.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Path("/{id}/feedback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobFeedback.Applied> feedback(@PathParam("id") String id, JobFeedback body) {
        return database.guard(feedback.apply(uuid(id), body, callers.current()));
    }

    @Operation(summary = "Run a finished job's failed items again")
    @APIResponse(responseCode = "200", description = "The job, running its failed items again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Path("/{id}/retry")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobView> retry(@PathParam("id") String id) {
        return view(jobs.retry(uuid(id), callers.current()));
    }

    @Operation(summary = "Cancel a job: its queued items become cancelled")
    @APIResponse(responseCode = "200", description = "The job, cancelled (or as it ended, when it had finished)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<JobView> cancel(@PathParam("id") String id) {
        return view(jobs.cancel(uuid(id), callers.current()));
    }

    private Uni<JobView> view(Uni<Job> job) {
        return database.guard(job.map(found -> views.of(found)));
    }

    /** {@code batch-api} asks the LLM about text, in files: not the local classifier, and not photos. */
    private static String execution(JobRequest body, ValidatedRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String execution = body.execution() == null ? Execution.REALTIME : body.execution();
        if (!execution.equals(Execution.REALTIME) && !execution.equals(Execution.BATCH_API)) {
            errors.add(new FieldError("execution", "must be realtime or batch-api"));
        } else if (execution.equals(Execution.BATCH_API)) {
            if (request.strategy() != Strategy.LLM) {
                errors.add(new FieldError("classifier", "must be llm with execution batch-api"));
            }
            if (request.items().stream().anyMatch(item -> ItemClassifier.usesPhoto(item, request.mode()))) {
                errors.add(new FieldError("mode", "batch-api classifies by text: set mode to text, or run photo items realtime"));
            }
            if (request.pack() > 1) {
                errors.add(new FieldError("pack", "applies to realtime jobs: batch-api sends one item per line"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return execution;
    }

    /** {@code explain}'s candidates are a realtime job's: a Batch API line carries only the question. */
    private void fitsBatchApi(ValidatedRequest request, String execution) {
        if (!execution.equals(Execution.BATCH_API)) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.explain()) {
            errors.add(new FieldError("explain", "applies to realtime jobs"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("job-not-found", "No job with id " + id);
        }
    }

    private static long lastEventId(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(List.of(new FieldError("Last-Event-ID", "must be an event id from this stream")));
        }
    }

    /** {@code ?review=}: true or false; absent, every result. */
    private static Boolean review(String review) {
        if (review == null || review.isBlank()) {
            return null;
        }
        if (!review.equals("true") && !review.equals("false")) {
            throw new InvalidRequestException(List.of(new FieldError("review", "must be true or false")));
        }
        return Boolean.valueOf(review);
    }

    private static String status(String status) {
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidRequestException(List.of(new FieldError("status", "must be one of " + String.join(", ", STATUSES))));
        }
        return status;
    }

    /**
     * Query parameters are read here, not converted by JAX-RS: a value JAX-RS cannot convert answers 404, which for
     * a job that exists says the wrong thing. A bad one is a 400 naming it.
     */
    private static int offset(String offset) {
        return whole("offset", offset, 0, Integer.MAX_VALUE, "must be a whole number, 0 or more").orElse(0);
    }

    private int limit(String limit) {
        return whole("limit", limit, 1, config.maxPageSize(), "must be a whole number between 1 and " + config.maxPageSize())
                .orElse(config.defaultPageSize());
    }

    private static java.util.OptionalInt whole(String name, String value, int min, int max, String rule) {
        if (value == null || value.isBlank()) {
            return java.util.OptionalInt.empty();
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return java.util.OptionalInt.of((int) number);
            }
        } catch (NumberFormatException e) {
            // reported below, as for a number out of range
        }
        throw new InvalidRequestException(List.of(new FieldError(name, rule + " (got " + abbreviated(value) + ")")));
    }

    private static String abbreviated(String value) {
        return value.length() <= 20 ? value : value.substring(0, 20) + "…";
    }

    /** The schema of a page of jobs ({@code JobPage<JobView>}), named for the OpenAPI document. */
    @Schema(name = "JobViewPage")
    record JobViewPage(List<JobView> items, long total, int offset, int limit) {
    }

    /** The schema of a page of results ({@code JobPage<ItemResult>}), named for the OpenAPI document. */
    @Schema(name = "ResultPage")
    record ResultPage(List<ItemResult> items, long total, int offset, int limit) {
    }
}
