package dev.catalogclassifier.taxonomy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.catalogclassifier.database.Database;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/taxonomies}: the named taxonomies there are, so a caller (or the page) can pick one. */
@Path("/api/v1/taxonomies")
@Produces(MediaType.APPLICATION_JSON)
public class TaxonomiesResource {

    private final TaxonomyStore store;
    private final Database database;

    public TaxonomiesResource(TaxonomyStore store, Database database) {
        this.store = store;
        this.database = database;
    }

    @GET
    public Uni<TaxonomyListing> list() {
        return database.guard(store.list().map(TaxonomyListing::new));
    }
}
