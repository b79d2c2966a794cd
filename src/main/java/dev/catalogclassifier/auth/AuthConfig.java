package dev.catalogclassifier.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who may call the service. Callers are tenants: each API key and each bearer token names one. With no key and
 * bearer tokens off, the service is open, as in dev mode and the tests, and says so at start-up.
 */
@ConfigMapping(prefix = "classifier.auth")
public interface AuthConfig {

    /**
     * Whether the service may run open when no API key is configured and bearer tokens are off: {@code required}
     * refuses to start then (production's default), {@code none} starts open and says so (dev mode's and the tests'
     * default). Set it with {@code CLASSIFIER_AUTH=none}. Configured credentials are required either way.
     */
    @WithDefault("required")
    Mode mode();

    /** Whether the service may start without authentication. */
    enum Mode {
        /** Callers must authenticate: the service does not start with no credentials configured. */
        REQUIRED,
        /** The service may start open (every caller sees everything) when no credentials are configured. */
        NONE
    }

    /** The tenants that hold static API keys, by name. */
    Map<String, Tenant> tenants();

    /**
     * Whether callers may send bearer tokens (JWTs): verified against {@code mp.jwt.verify.issuer} and
     * {@code mp.jwt.verify.publickey.location} (a PEM key or a JWKS URL), which a deployment must then set.
     */
    @WithDefault("false")
    boolean bearerTokens();

    /** The JWT claim that names a bearer token's tenant; the token's subject when it has none. */
    @WithDefault("tenant")
    String tenantClaim();

    /** A tenant of static API keys. */
    interface Tenant {

        /**
         * SHA-256 of each of its API keys, hex-encoded ({@code printf %s "$KEY" | sha256sum}): configuration never
         * holds a key itself.
         */
        Optional<List<String>> apiKeySha256();

        /** An admin sees and manages every tenant's work. */
        @WithDefault("false")
        boolean admin();
    }
}
