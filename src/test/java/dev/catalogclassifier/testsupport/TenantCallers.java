package dev.catalogclassifier.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.jwt.build.Jwt;

/**
 * The callers of the tenant tests and the service set up to know them: tenants a and c hold API keys, b and d bearer
 * tokens of a trusted issuer, and "ops" an admin key. Shared so that the API's tests and the page's see one setup.
 */
public final class TenantCallers {

    public static final String ISSUER = "https://issuer.catalog.test";
    /** The audience the service accepts by default. */
    public static final String AUDIENCE = "catalog-classifier";
    public static final String KEY_A = "ck-tenant-a-9f2e7c41d0b84a6e";
    public static final String KEY_C = "ck-tenant-c-3a8d51f07e2b964c";
    public static final String KEY_OPS = "ck-ops-admin-5b7d03e9a1c24f88";
    /** Tenant c's budget for the day: three of the fake's calls ({@link FakeOpenAi#CALL_COST_USD} each) and a bit. */
    public static final double BUDGET_C = 3.5 * FakeOpenAi.CALL_COST_USD;
    /** Tenant e's budget for the day, for its Batch API jobs: a few batch items, far fewer than its jobs hold. */
    public static final double BUDGET_E = 0.0002;

    private TenantCallers() {
    }

    /**
     * Tenants with keys (hashed here, as a deployment holds them) and a trusted token issuer: a and c by key, ops an
     * admin by key, b and d by token; c and e (by token) have daily budgets, d a ceiling of 2 calls in flight. The cache is on, to
     * show it is per tenant.
     */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("classifier.auth.tenants.a.api-key-sha256", "d675982d934c6819920ebba58c52d178d5a19e6761a28040092f704418d56c4e"),
                    Map.entry("classifier.auth.tenants.c.api-key-sha256", "3b3777d05aa2759ecb492767b4d48396fa1108097e23661d6f16f271fb1f68bf"),
                    Map.entry("classifier.auth.tenants.ops.api-key-sha256", "52db77d2ee3d2de3a9acdb5f3d091703bbff1a0de08b6996bc2c9a9556c56f04"),
                    Map.entry("classifier.auth.tenants.ops.admin", "true"),
                    Map.entry("classifier.auth.bearer-tokens", "true"),
                    Map.entry("classifier.tenants.c.daily-budget-usd", String.valueOf(BUDGET_C)),
                    Map.entry("classifier.tenants.d.max-concurrent-calls", "2"),
                    Map.entry("classifier.tenants.e.daily-budget-usd", String.valueOf(BUDGET_E)),
                    Map.entry("classifier.cache.enabled", "true"),
                    Map.entry("mp.jwt.verify.issuer", ISSUER),
                    Map.entry("mp.jwt.verify.publickey.location", "auth/publicKey.pem"));
        }
    }

    /** A bearer token of {@code tenant}, signed by the trusted issuer's key. */
    public static String token(String tenant) throws Exception {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("service-" + tenant).claim("tenant", tenant).sign(key("privateKey.pem"));
    }

    /** One of the test RSA keys in {@code src/test/resources/auth}. */
    public static PrivateKey key(String file) throws Exception {
        String pem = Files.readString(Path.of("src", "test", "resources", "auth", file))
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
