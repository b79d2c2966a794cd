package dev.catalogclassifier.taxonomy;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.catalogclassifier.auth.Callers;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import dev.catalogclassifier.problem.ProblemResponses;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/taxonomies/{name}/examples}: what a stored taxonomy learns after its PUT. A caller adds examples
 * (the caller's word: they replace what was learnt from the model about the same text), lists them by source, and drops
 * those of one source: dropping {@code model} returns the taxonomy to its definition plus the caller's own examples.
 * Only a tenant's own taxonomies (or any, on an open service) take examples.
 */
@Tag(name = "Taxonomies")
@Path("/api/v1/taxonomies/{name}/examples")
@Produces(MediaType.APPLICATION_JSON)
public class TaxonomyExamplesResource {

    private static final int MAX_PAGE = 1000;

    private final TaxonomyExamples examples;
    private final TaxonomyLearning learning;
    private final TaxonomyValidator validator;
    private final Database database;
    private final Callers callers;

    public TaxonomyExamplesResource(TaxonomyExamples examples, TaxonomyLearning learning, TaxonomyValidator validator,
            Database database, Callers callers) {
        this.examples = examples;
        this.learning = learning;
        this.validator = validator;
        this.database = database;
        this.callers = callers;
    }

    /** The body of {@code POST …/examples}: examples as a PUT takes them. */
    @RegisterForReflection
    public record Added(List<TaxonomyDefinition.Example> examples) {
    }

    /** What a taxonomy holds after a change: its examples in all, and by source. */
    @RegisterForReflection
    public record Holding(int examples, Map<String, Integer> examplesBySource) {
    }

    @Operation(summary = "Add examples to a stored taxonomy", description = "Validated as a PUT's; they count for the "
            + "very next item, and the cascade is calibrated again in the background once enough have been added")
    @APIResponse(responseCode = "200", description = "How many examples it holds now, by source",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Holding.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Holding> add(@PathParam("name") String name, @QueryParam("tenant") String tenant, Added body) {
        String owner = callers.current().actingFor(tenant);
        List<TaxonomyDefinition.Example> given = body == null ? null : body.examples();
        return database.guard(header(owner, name).chain(h -> {
            validator.validateAdded(given, h.categories(), h.examples());
            return examples.add(h, given.stream().map(e -> new TaxonomyExamples.Incoming(e, null, "api")).toList(),
                    ExampleSource.CALLER).invoke(counts -> learning.afterChange(owner, name, counts))
                    .chain(counts -> holding(h, counts));
        }));
    }

    @Operation(summary = "List a stored taxonomy's examples", description = "Oldest first; ?source= one of put, caller, "
            + "confirmed, model")
    @APIResponse(responseCode = "200", description = "A page of examples",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaxonomyExamples.Page.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @GET
    public Uni<TaxonomyExamples.Page> list(@PathParam("name") String name, @QueryParam("tenant") String tenant,
            @QueryParam("source") String source, @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset) {
        ExampleSource from = source == null ? null : source(source);
        if (limit < 1 || limit > MAX_PAGE || offset < 0) {
            throw new InvalidRequestException(List.of(new FieldError("limit", "must be 1 to " + MAX_PAGE
                    + ", with an offset of 0 or more")));
        }
        String owner = callers.current().actingFor(tenant);
        return database.guard(header(owner, name).chain(h -> examples.list(h, from, limit, offset)));
    }

    @Operation(summary = "Drop a stored taxonomy's examples of one source", description = "?source=model drops what was "
            + "learnt from the model; the definition's own (put) are replaced only by a PUT")
    @APIResponse(responseCode = "200", description = "How many examples it holds now, by source",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Holding.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @DELETE
    public Uni<Holding> drop(@PathParam("name") String name, @QueryParam("tenant") String tenant,
            @QueryParam("source") String source) {
        ExampleSource from = source == null ? null : source(source);
        if (from == null || from == ExampleSource.PUT) {
            throw new InvalidRequestException(List.of(new FieldError("source",
                    "must be model, caller or confirmed (a PUT replaces the definition's own examples)")));
        }
        String owner = callers.current().actingFor(tenant);
        return database.guard(header(owner, name).chain(h -> examples.drop(h, from)
                .invoke(counts -> learning.afterChange(owner, name, counts)).chain(counts -> holding(h, counts))));
    }

    private Uni<TaxonomyStore.Header> header(String owner, String name) {
        return examples.own(owner, name).map(found -> found.orElseThrow(() -> TaxonomyResource.notFound(name)));
    }

    private Uni<Holding> holding(TaxonomyStore.Header h, TaxonomyExamples.Counts counts) {
        return examples.bySource(h.tenant(), h.name()).map(by -> new Holding(counts.examples(), by));
    }

    private static ExampleSource source(String value) {
        return ExampleSource.parse(value).orElseThrow(() -> new InvalidRequestException(List.of(
                new FieldError("source", "must be one of put, caller, confirmed, model"))));
    }
}
