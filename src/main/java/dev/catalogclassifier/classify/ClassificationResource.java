package dev.catalogclassifier.classify;

import java.util.Comparator;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.catalogclassifier.auth.Callers;
import dev.catalogclassifier.database.Blocking;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.problem.ProblemResponses;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/classifications}: the same batch answered whole as JSON, or streamed as server-sent
 * events ({@code item} per result as it completes, {@code progress} after each, {@code summary} last),
 * chosen by the Accept header.
 */
@Tag(name = "Classifications", description = "Classify a request's items now, answered whole or streamed")
@Path("/api/v1/classifications")
@Consumes(MediaType.APPLICATION_JSON)
public class ClassificationResource {

    private final RequestValidator validator;
    private final SseEvents sseEvents;
    private final BatchClassifier classifier;
    private final NamedTaxonomies taxonomies;
    private final Database database;
    private final Callers callers;

    public ClassificationResource(RequestValidator validator, BatchClassifier classifier, NamedTaxonomies taxonomies,
            Database database, SseEvents sseEvents, Callers callers) {
        this.callers = callers;
        this.sseEvents = sseEvents;
        this.taxonomies = taxonomies;
        this.database = database;
        this.validator = validator;
        this.classifier = classifier;
    }

    @Operation(summary = "Classify items, answered whole as JSON")
    @APIResponse(responseCode = "200", description = "The results: whole as JSON, or streamed as server-sent events "
            + "(item, progress, summary) when the request accepts text/event-stream", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClassificationResponse.class)),
            @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ClassificationResponse> classify(ClassificationRequest body) {
        String tenant = callers.current().tenant();
        ValidatedRequest valid = accept(body);
        BatchTracker tracker = new BatchTracker(valid.items().size(), valid.strategy());
        return resolve(tenant, valid).chain(request -> classifier.classify(request, tenant, tracker).map(BatchTracker.Step::result)
                        .collect().asList())
                .map(results -> new ClassificationResponse(inRequestOrder(results), tracker.summary()));
    }

    @Operation(summary = "Classify items, streamed as server-sent events", description = "item per result as it completes, progress after each, summary last")
    @APIResponse(responseCode = "200", description = "The results: whole as JSON, or streamed as server-sent events "
            + "(item, progress, summary) when the request accepts text/event-stream", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClassificationResponse.class)),
            @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @POST
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RunOnVirtualThread
    public Response stream(ClassificationRequest body, @Context RoutingContext http) throws InterruptedException {
        String tenant = callers.current().tenant();
        ValidatedRequest valid = accept(body);
        BatchTracker tracker = new BatchTracker(valid.items().size(), valid.strategy());
        ValidatedRequest request = Blocking.await(() -> resolve(tenant, valid)); // a missing taxonomy is still a 404
        Multi<byte[]> frames = classifier.classify(request, tenant, tracker)
                .map(step -> sseEvents.frames(new SseEvents.Event("item", step.result()),
                        new SseEvents.Event("progress", step.progress())))
                .onCompletion().switchTo(() -> Multi.createFrom().item(() ->
                        sseEvents.frames(new SseEvents.Event("summary", tracker.summary()))));
        return Response.ok(new EventStream(frames, http), MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    private ValidatedRequest accept(ClassificationRequest body) {
        return validator.validate(body);
    }

    /** A named taxonomy is looked up in the database; an inline one needs nothing, so works without it. */
    private Uni<ValidatedRequest> resolve(String tenant, ValidatedRequest request) {
        return request.taxonomyName() == null ? Uni.createFrom().item(request)
                : database.guard(taxonomies.resolve(tenant, request));
    }

    private static List<ItemResult> inRequestOrder(List<ItemResult> results) {
        return results.stream().sorted(Comparator.comparingInt(ItemResult::index)).toList();
    }
}
