package dev.catalogclassifier.llm;

import java.util.Set;


/**
 * One API key of one provider, with its own client, health and pacing. The rest of the service knows it only
 * by {@link #alias()}: {@code toString} gives the alias too, so a key logged by mistake still shows no secret.
 */
final class ProviderKey {

    private final String provider;
    private final String alias;
    private final String baseUrl;
    private final String secret;
    private final Set<String> models;
    private final int weight;
    private final StructuredOutput structuredOutput;
    private final ProviderClient client;
    private final KeyHealth health = new KeyHealth();
    private final Pacer pacer = new Pacer();
    /** Its provider's breaker, the same object for every key of the provider. */
    private final ProviderOutage outage;
    /** The smooth weighted round-robin counter (nginx's): guarded by the pool's lock. */
    double turn;

    ProviderKey(String provider, String alias, String baseUrl, String secret, Set<String> models, int weight,
            StructuredOutput structuredOutput, ProviderClient client, ProviderOutage outage) {
        this.provider = provider;
        this.outage = outage;
        this.alias = alias;
        this.baseUrl = baseUrl;
        this.secret = secret;
        this.models = models;
        this.weight = weight;
        this.structuredOutput = structuredOutput;
        this.client = client;
    }

    String provider() {
        return provider;
    }

    String alias() {
        return alias;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The secret, for the HTTP clients that must send it; never for logs, metrics or answers. */
    String secret() {
        return secret;
    }

    /** An empty set serves every model the service allows. */
    boolean serves(String model) {
        return models.isEmpty() || models.contains(model);
    }

    Set<String> models() {
        return models;
    }

    int weight() {
        return weight;
    }

    /** How its provider is told an answer's shape. */
    StructuredOutput structuredOutput() {
        return structuredOutput;
    }

    ProviderClient client() {
        return client;
    }

    KeyHealth health() {
        return health;
    }

    Pacer pacer() {
        return pacer;
    }

    ProviderOutage outage() {
        return outage;
    }

    @Override
    public String toString() {
        return alias;
    }
}
