package dev.catalogclassifier.llm;

import java.net.URI;

import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/** Says at start-up which provider the service will call, or how to configure one. Never prints a key. */
public class ProviderStartupCheck {

    void onStart(@Observes StartupEvent event, ProviderPool pool, LlmConfig config, PriceTable prices) {
        if (!pool.configured()) {
            // a choice, not a fault (dev mode, a local-only deployment): said once, at INFO
            Log.info("No model provider key is configured: requests and jobs are classified by the in-process "
                    + "classifier; those asking for \"classifier\": \"llm\" or \"cascade\" answer 503. To use an LLM, set "
                    + "OPENAI_API_KEY (comma-separated for several keys) and, for an endpoint other than api.openai.com, "
                    + "OPENAI_BASE_URL; then restart.");
            return;
        }
        pool.keys().stream().collect(java.util.stream.Collectors.groupingBy(ProviderKey::provider,
                java.util.LinkedHashMap::new, java.util.stream.Collectors.toList()))
                .forEach((name, keys) -> Log.infof("Model provider %s at %s with %d key(s) (%s)", name,
                        withoutCredentials(keys.getFirst().baseUrl()), keys.size(),
                        keys.stream().map(ProviderKey::alias).collect(java.util.stream.Collectors.joining(", "))));
        Log.infof("Default model %s", config.defaultModel());
        config.allowedModels().forEach(prices::knows);
        prices.knows(config.defaultModel());
    }

    /** A base URL may carry user:password; logs get scheme, host, port and path only. */
    static String withoutCredentials(String url) {
        try {
            URI uri = URI.create(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (Exception e) {
            return "(unparseable URL)";
        }
    }
}
