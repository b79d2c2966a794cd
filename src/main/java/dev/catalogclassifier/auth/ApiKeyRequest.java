package dev.catalogclassifier.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An {@code X-API-Key} header's value, on its way to {@link ApiKeyIdentityProvider}. */
public class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyRequest[key hidden]"; // never the key, in any log
    }
}
