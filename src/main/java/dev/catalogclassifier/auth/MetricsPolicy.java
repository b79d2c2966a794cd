package dev.catalogclassifier.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may read {@code /q/metrics} (the {@code metrics} policy of {@code quarkus.http.auth.permission}): anyone on
 * an open service, an admin where callers must authenticate. The series name tenants and their spending, which one
 * tenant must not read of another; Prometheus scrapes with an admin's key or token.
 */
@ApplicationScoped
public class MetricsPolicy implements HttpSecurityPolicy {

    private final Callers callers;

    public MetricsPolicy(Callers callers) {
        this.callers = callers;
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        if (!callers.required()) {
            return CheckResult.permit();
        }
        return identity.map(who -> who.hasRole(ApiKeyIdentityProvider.ADMIN) ? CheckResult.PERMIT : CheckResult.DENY);
    }
}
