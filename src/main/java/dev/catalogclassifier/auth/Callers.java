package dev.catalogclassifier.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.catalogclassifier.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The {@link Caller} of the current request, from its security identity: an API key's tenant, or a bearer token's
 * tenant claim (its subject when it has none), admin with the {@code admin} role (a token's {@code groups}).
 * Whether the service requires callers at all is decided here once: an API key configured, or bearer tokens
 * switched on ({@link AuthConfig#bearerTokens()}).
 */
@ApplicationScoped
public class Callers {

    /** What a tenant's name may be. */
    static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");
    /** How far in the future a token's {@code iat} may be, for clocks that disagree. */
    private static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(1);

    private final CurrentIdentityAssociation identities;
    private final AuthConfig config;
    private final boolean required;

    public Callers(CurrentIdentityAssociation identities, AuthConfig config, ApiKeyIdentityProvider keys) {
        this.identities = identities;
        this.config = config;
        // a switch of our own, not the presence of mp.jwt.verify.*: in dev and test Quarkus generates a key and issuer
        this.required = keys.anyKey() || config.bearerTokens();
    }

    void announce(@Observes StartupEvent start) {
        if (required) {
            Log.infof("Callers must authenticate: API keys of %d tenant(s)%s", config.tenants().size(),
                    config.bearerTokens() ? ", bearer tokens of the configured issuer" : "");
        } else if (config.mode() == AuthConfig.Mode.REQUIRED) {
            throw new IllegalStateException("No API key is configured and bearer tokens are off, so every caller would "
                    + "see every tenant's work: configure classifier.auth.tenants.<tenant>.api-key-sha256 or "
                    + "classifier.auth.bearer-tokens, or set CLASSIFIER_AUTH=none to run the API open on purpose");
        } else {
            String open = "No API key configured and bearer tokens off: the API is OPEN to every caller, who sees every "
                    + "job and taxonomy (configure classifier.auth.tenants or classifier.auth.bearer-tokens to require callers)";
            // dev mode and tests run open by default; a packaged service run open is worth a warning
            if (io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.NORMAL) {
                Log.warn(open);
            } else {
                Log.info(open);
            }
        }
    }

    /** Whether a request must name its caller. */
    public boolean required() {
        return required;
    }

    /** The current request's caller; {@link Caller#OPEN} on an open service. Call it once the identity is known. */
    public Caller current() {
        if (!required) {
            return Caller.OPEN;
        }
        SecurityIdentity identity = identities.getIdentity();
        if (identity == null || identity.isAnonymous()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        boolean admin = identity.hasRole(ApiKeyIdentityProvider.ADMIN);
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            return new Caller(tenantOf(token), admin);
        }
        return new Caller(identity.getPrincipal().getName(), admin);
    }

    /**
     * A token's tenant: its tenant claim, else its subject; either must be a string of {@link #TENANT} (no other
     * claim, {@code upn} included, names one). A token that names none is refused: a caller without a tenant would
     * act in the shared scope, which only an admin's API key may write. A token issued in the future (beyond a
     * minute of clock skew) is refused too.
     */
    private String tenantOf(JsonWebToken token) {
        if (token.getIssuedAtTime() > java.time.Instant.now().plus(CLOCK_SKEW).getEpochSecond()) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        Object claim = token.getClaim(config.tenantClaim());
        // a custom claim comes as a JSON value: its toString() would keep the quotes, and an array or a number
        // would become a name
        String tenant = claim == null ? token.getSubject()
                : claim instanceof jakarta.json.JsonString text ? text.getString()
                : claim instanceof String text ? text : null;
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new ProblemException("no-tenant", "Forbidden", 403, "The bearer token names no tenant: its '"
                    + config.tenantClaim() + "' claim (or, without one, its subject) must be a string of letters, digits "
                    + "and . _ @ : - (at most 128).");
        }
        return tenant;
    }
}
