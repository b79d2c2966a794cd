package dev.catalogclassifier.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;

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
            Log.warn("No API key configured and bearer tokens off: the API is OPEN to every caller, who sees "
                    + "every job and taxonomy (configure classifier.auth.tenants or classifier.auth.bearer-tokens to require callers)");
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
            Object claim = token.getClaim(config.tenantClaim());
            // a custom claim comes as a JSON value: its toString() would keep the quotes
            String tenant = claim instanceof jakarta.json.JsonString text ? text.getString()
                    : claim == null ? token.getSubject() : claim.toString();
            return new Caller(tenant, admin);
        }
        return new Caller(identity.getPrincipal().getName(), admin);
    }
}
