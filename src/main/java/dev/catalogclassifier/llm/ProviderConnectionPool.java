package dev.catalogclassifier.llm;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

import io.quarkiverse.langchain4j.openai.common.OpenAiRestApi;

/**
 * Sizes the connection pool of each provider client to {@code classifier.llm.max-concurrent-calls}.
 * <p>
 * quarkus-langchain4j builds its OpenAI REST client programmatically, and programmatic clients ignore
 * {@code quarkus.rest-client.connection-pool-size}: they keep the default 50 connections, so a bulkhead of 64
 * would run only 50 calls at once (the benchmark showed exactly 50). A MicroProfile listener is the one hook
 * the builder offers. It is loaded by {@link java.util.ServiceLoader}, not CDI, hence the config lookup.
 */
public class ProviderConnectionPool implements RestClientListener {

    static final String POOL_SIZE = "io.quarkus.rest.client.connection-pool-size";

    @Override
    public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
        if (OpenAiRestApi.class.equals(serviceInterface)) {
            builder.property(POOL_SIZE, ConfigProvider.getConfig()
                    .getOptionalValue("classifier.llm.max-concurrent-calls", Integer.class).orElse(64));
        }
    }
}
