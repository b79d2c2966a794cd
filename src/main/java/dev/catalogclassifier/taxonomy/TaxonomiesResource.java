package dev.catalogclassifier.taxonomy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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

    private final PreparationRows rows;
    private final TaxonomyPreparations preparations;

    private final dev.catalogclassifier.classify.RequestsConfig requests;

    public TaxonomiesResource(TaxonomyStore store, Database database, Callers callers, PreparationRows rows,
            TaxonomyPreparations preparations, dev.catalogclassifier.classify.RequestsConfig requests) {
        this.requests = requests;
        this.rows = rows;
        this.preparations = preparations;
        this.store = store;
        this.database = database;
        this.callers = callers;
    }

    @Operation(summary = "List the named taxonomies",
            description = "a tenant's own and the shared ones; an admin's every tenant's")
    @APIResponse(responseCode = "200", description = "The taxonomies, and the default one",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaxonomyListing.class)))
    @APIResponse(responseCode = "503", ref = ProblemResponses.UNAVAILABLE)
    @GET
    public Uni<TaxonomyListing> list() {
        Caller caller = callers.current();
        boolean all = caller.admin() && callers.required();
        // preparations first, as GET of one reads them: a taxonomy stored between the two reads is still listed
        return database.guard(rows.list(TaxonomyStore.scope(caller.tenant()), all).chain(pending -> store.list(caller.tenant(), all)
                .map(stored -> new TaxonomyListing(withPreparing(stored, pending), new TaxonomyListing.DefaultTaxonomy(
                        "used when a request or job sends no taxonomy", requests.defaultTaxonomy())))));
    }

    /** The stored taxonomies and, in name order among them, those still being prepared that none of them is. */
    private java.util.List<TaxonomyListing.Entry> withPreparing(java.util.List<TaxonomyListing.Entry> stored,
            java.util.List<PreparationRows.Preparation> pending) {
        java.util.Set<String> names = new java.util.HashSet<>();
        stored.forEach(e -> names.add(e.name() + "\u0000" + (e.tenant() == null ? "" : e.tenant())));
        java.util.List<TaxonomyListing.Entry> all = new java.util.ArrayList<>(stored);
        pending.stream().filter(p -> !names.contains(p.name() + "\u0000" + p.tenant())).forEach(p -> {
            TaxonomyView view = TaxonomyView.preparing(p.name(), preparations.definition(p), p.view());
            all.add(new TaxonomyListing.Entry(p.name(), p.tenant().isEmpty() ? null : p.tenant(), view.status(),
                    view.categories(), view.examples(), "api", p.startedAt()));
        });
        all.sort(java.util.Comparator.comparing(TaxonomyListing.Entry::name));
        return all;
    }
}
