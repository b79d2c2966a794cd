package dev.catalogclassifier.taxonomy;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.catalogclassifier.auth.Callers;
import dev.catalogclassifier.cascade.TargetPrecision;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.problem.FieldError;
import dev.catalogclassifier.problem.InvalidRequestException;
import dev.catalogclassifier.problem.NotFoundException;
import dev.catalogclassifier.problem.ProblemResponses;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/taxonomies/{name}}: named taxonomies with label descriptions and labelled examples, which
 * requests and jobs then name with {@code "taxonomy": "<name>"}. A PUT of a small taxonomy embeds it before it answers,
 * so the first request that names it is not slowed; a larger one (Google's 5,595 categories take 10–17 s on 2 cores) is
 * answered 202 at once and prepared in the background ({@link TaxonomyPreparations}).
 */
@Tag(name = "Taxonomies", description = "Named taxonomies: categories with examples, stored once and referred to by name")
@Path("/api/v1/taxonomies/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class TaxonomyResource {

    private final TaxonomyStore store;
    private final TaxonomyValidator validator;
    private final Database database;
    private final Callers callers;
    private final TaxonomyLearning learning;
    private final TaxonomyPreparations preparations;
    private final PreparationRows rows;
    private final TaxonomyConfig config;

    public TaxonomyResource(TaxonomyStore store, TaxonomyValidator validator, Database database, Callers callers,
            TaxonomyLearning learning, TaxonomyPreparations preparations, PreparationRows rows, TaxonomyConfig config) {
        this.preparations = preparations;
        this.rows = rows;
        this.config = config;
        this.learning = learning;
        this.store = store;
        this.validator = validator;
        this.database = database;
        this.callers = callers;
    }

    /** Whose taxonomy a request works on: the caller's tenant; an admin's {@code ?tenant=}, when given. */
    private String owner(String requested) {
        return callers.current().actingFor(requested);
    }

    @Operation(summary = "Create or replace a named taxonomy", description = "201 when created, 200 when replaced, both "
            + "ready to use; 202 when it holds more texts (categories and examples) than are embedded while the caller "
            + "waits: it is prepared in the background, and GET shows its status until it is ready")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TaxonomyView.class)))
    @APIResponse(responseCode = "200", description = "Replaced",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TaxonomyView.class)))
    @APIResponse(responseCode = "202", description = "Accepted: being prepared; poll the Location until its status is ready",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TaxonomyView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<TaxonomyView>> put(@PathParam("name") String name, @QueryParam("tenant") String tenant,
            TaxonomyDefinition body, @Context UriInfo uri) {
        String owner = owner(tenant);
        validator.validate(name, body);
        if (TaxonomyPreparations.inBackground(body, config)) {
            return database.guard(preparations.start(owner, name, body).map(p -> RestResponse.ResponseBuilder
                    .<TaxonomyView>accepted(TaxonomyView.preparing(name, body, p.view()))
                    .location(uri.getAbsolutePath()).header("Retry-After", "1").build()));
        }
        return database.guard(store.save(owner, name, body, "api").invoke(replaced -> learning.afterPut(owner, name))
                .chain(replaced -> view(owner, name).map(view -> replaced
                ? RestResponse.ok(view)
                : RestResponse.ResponseBuilder.<TaxonomyView>created(uri.getAbsolutePath()).entity(view).build())));
    }

    @Operation(summary = "Read a named taxonomy", description = "Its status (ready, or still preparing after a PUT answered "
            + "202), and its cascade at its own precision, or at ?precision= (what a request naming that precision would "
            + "get: threshold, share settled, estimated precision)")
    @APIResponse(responseCode = "200", description = "The taxonomy",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TaxonomyView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    public Uni<TaxonomyView> get(@PathParam("name") String name, @QueryParam("tenant") String tenant,
            @QueryParam("precision") String precision) {
        Double target = precision(precision);
        String owner = owner(tenant);
        // the preparation first: its row goes in the transaction that stores the taxonomy, so read in this order one of
        // the two is always seen, even when that transaction commits between the reads
        return database.guard(rows.visible(TaxonomyStore.scope(owner), name).chain(pending -> store.view(owner, name, target)
                .map(stored -> {
                    if (stored.isPresent()) {
                        return stored.get().with(pending.map(PreparationRows.Preparation::view).orElse(null));
                    }
                    return pending.map(p -> TaxonomyView.preparing(name, preparations.definition(p), p.view()))
                            .orElseThrow(() -> notFound(name));
                })));
    }

    /** {@code ?precision=}: null when absent; a share strictly between 0 and 1, as a request's cascade names it. */
    private static Double precision(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double p = Double.parseDouble(value.strip());
            if (TargetPrecision.isValid(p)) {
                return p;
            }
        } catch (NumberFormatException e) {
            // answered below, as any other value out of range
        }
        throw new InvalidRequestException(List.of(new FieldError("precision", TargetPrecision.INVALID)));
    }

    @Operation(summary = "Delete a named taxonomy")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @DELETE
    // no body on success: a client that accepts only the problem document (as generated clients do here) is served too
    @Produces({MediaType.APPLICATION_JSON, dev.catalogclassifier.problem.ProblemMappers.PROBLEM_JSON})
    public Uni<RestResponse<Void>> delete(@PathParam("name") String name, @QueryParam("tenant") String tenant) {
        return database.guard(store.delete(owner(tenant), name)).map(deleted -> {
            if (!deleted) {
                throw notFound(name);
            }
            return RestResponse.noContent();
        });
    }

    private Uni<TaxonomyView> view(String owner, String name) {
        return store.view(owner, name, null).map(found -> found.orElseThrow(() -> notFound(name)));
    }

    static NotFoundException notFound(String name) {
        return new NotFoundException("taxonomy-not-found", "No taxonomy is named \"" + name
                + "\". Create it with PUT /api/v1/taxonomies/" + (TaxonomyValidator.validName(name) ? name : "{name}") + ".");
    }
}
