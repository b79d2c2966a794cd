package dev.catalogclassifier.tenant;

import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.auth.AuthConfig;
import dev.catalogclassifier.llm.TenantShares;

/**
 * The tenants the configuration knows (those with API keys and those with limits) and each one's share. Metrics
 * name only these: a bearer token may name any tenant, and a tag per caller-chosen name would grow without bound.
 */
@ApplicationScoped
public class Tenants implements TenantShares {

    private final TenantConfig config;
    private final Set<String> known = new TreeSet<>();

    public Tenants(TenantConfig config, AuthConfig auth) {
        this.config = config;
        known.addAll(auth.tenants().keySet());
        known.addAll(config.limits().keySet());
        config.limits().forEach((tenant, limits) -> {
            if (!(limits.weight() > 0)) {
                throw new IllegalArgumentException("classifier.tenants." + tenant + ".weight must be positive");
            }
        });
    }

    @Override
    public String tag(String tenant) {
        if (tenant == null) {
            return NONE;
        }
        return known.contains(tenant) ? tenant : OTHER;
    }

    /** The configured tenants' names, sorted. */
    public Set<String> known() {
        return known;
    }

    @Override
    public double weight(String tenant) {
        TenantConfig.Limits limits = limits(tenant);
        return limits == null ? 1.0 : limits.weight();
    }

    @Override
    public int ceiling(String tenant, int ceiling) {
        TenantConfig.Limits limits = limits(tenant);
        return limits == null ? ceiling : Math.max(1, Math.min(ceiling, limits.maxConcurrentCalls().orElse(ceiling)));
    }

    TenantConfig.Limits limits(String tenant) {
        return tenant == null ? null : config.limits().get(tenant);
    }
}
