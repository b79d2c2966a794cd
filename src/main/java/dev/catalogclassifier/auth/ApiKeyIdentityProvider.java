package dev.catalogclassifier.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Finds the tenant of an API key by the key's SHA-256, as configured ({@link AuthConfig.Tenant#apiKeySha256()}). The
 * key itself is hashed at once and never kept, logged or compared as text.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    static final String ADMIN = "admin";
    static final String TENANT = "tenant";

    private final Map<String, String> tenantByHash = new HashMap<>();
    private final Map<String, Boolean> adminByTenant = new HashMap<>();

    public ApiKeyIdentityProvider(AuthConfig config) {
        config.tenants().forEach((tenant, settings) -> {
            adminByTenant.put(tenant, settings.admin());
            settings.apiKeySha256().ifPresent(hashes -> hashes.forEach(h -> tenantByHash.put(h.strip().toLowerCase(Locale.ROOT), tenant)));
        });
    }

    boolean anyKey() {
        return !tenantByHash.isEmpty();
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        String tenant = tenantByHash.get(sha256(request.key()));
        if (tenant == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown API key"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(tenant))
                .addRole(adminByTenant.getOrDefault(tenant, false) ? ADMIN : TENANT).build());
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
