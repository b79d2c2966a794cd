package dev.catalogclassifier.auth;

import java.util.Objects;

/**
 * Who is calling: a tenant, or an admin, who sees every tenant's work. On an open service (no authentication
 * configured) every caller is {@link #OPEN}: no tenant, sees everything, as before tenants existed.
 */
public record Caller(String tenant, boolean admin) {

    public static final Caller OPEN = new Caller(null, true);

    /**
     * The tenant whose taxonomies this caller works on: an admin may name any ({@code requested}), anyone else
     * only their own, whatever they ask for.
     */
    public String actingFor(String requested) {
        return admin && requested != null && !requested.isBlank() ? requested : tenant;
    }

    /** Whether this caller may see work of {@code owner} (a job's or taxonomy's tenant). */
    public boolean sees(String owner) {
        return admin || Objects.equals(tenant, owner);
    }
}
