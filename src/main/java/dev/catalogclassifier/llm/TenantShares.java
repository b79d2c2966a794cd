package dev.catalogclassifier.llm;

/**
 * Each tenant's place among the others in {@link ModelCallScheduler}: its weight against the tenants with calls
 * waiting, and the most calls it may have in flight. The tenant is a flow's {@link Flow#tenant()}, null on an open
 * service.
 */
public interface TenantShares {

    /** The metric tag of work on an open service, which has no tenants. */
    String NONE = "none";
    /** The metric tag of every tenant the configuration does not name. */
    String OTHER = "other";

    /**
     * The tag that names {@code tenant} in metrics: itself when the configuration names it, {@link #OTHER} when not
     * (a bearer token may name any tenant: a tag per caller-chosen name would grow without bound), {@link #NONE} for
     * no tenant.
     */
    String tag(String tenant);

    /** Its turns relative to other tenants' (positive; 1 by default). */
    double weight(String tenant);

    /** The most calls it may have in flight, at most {@code ceiling} (the service's). */
    int ceiling(String tenant, int ceiling);
}
