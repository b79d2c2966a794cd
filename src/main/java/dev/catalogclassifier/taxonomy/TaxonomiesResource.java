package dev.catalogclassifier.taxonomy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.catalogclassifier.auth.Caller;
import dev.catalogclassifier.auth.Callers;
import dev.catalogclassifier.database.Database;
import dev.catalogclassifier.problem.ProblemResponses;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/taxonomies}: the named taxonomies there are, so a caller (or the page) can pick one. */
@Tag(name = "Taxonomies", description = "Named taxonomies: categories with examples, stored once and referred to by name")
@Path("/api/v1/taxonomies")
@Produces(MediaType.APPLICATION_JSON)
public class TaxonomiesResource {

    private final TaxonomyStore store;
    private final Database database;
    private final Callers callers;

    public TaxonomiesResource(TaxonomyStore store, Database database, Callers callers) {
        this.store = store;
        this.database = database;
        this.callers = callers;
    }

    @Operation(summary = "List the named taxonomies",
            description = "a tenant's own and the shared ones; an admin's every tenant's")
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    public Uni<TaxonomyListing> list() {
        Caller caller = callers.current();
        boolean all = caller.admin() && callers.required();
        return database.guard(store.list(caller.tenant(), all).map(TaxonomyListing::new));
    }
}
