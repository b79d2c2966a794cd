package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts {@link FakeOpenAi} on a free port and points the service at it with two keys, so no test can reach
 * a real provider even when the developer's shell has OPENAI_API_KEY set. Init arguments: {@code keys} replaces
 * the two keys; {@code rejected-keys} (comma-separated) are answered 401;
 * {@code schema-refusing-keys} are answered 400 when a call carries a JSON schema; {@code request-limit} and
 * {@code limit-window-ms} give each key a request bucket; {@code key-limits} gives single keys limits of their own
 * ({@code key:per-minute:style}, see {@link FakeOpenAi.Headers}); any other argument is passed on as configuration.
 */
public class FakeOpenAiResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEYS = "test-key-alpha,test-key-bravo";

    private FakeOpenAi fake;
    private final Map<String, String> args = new HashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        args.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            fake = new FakeOpenAi(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : args.getOrDefault("rejected-keys", "").split(",")) {
            if (!key.isBlank()) {
                fake.rejectKey(key.strip());
            }
        }
        for (String key : args.getOrDefault("schema-refusing-keys", "").split(",")) {
            if (!key.isBlank()) {
                fake.refuseSchemas(key.strip());
            }
        }
        if (args.containsKey("request-limit")) {
            fake.limitRequests(Long.parseLong(args.get("request-limit")),
                    Duration.ofMillis(Long.parseLong(args.getOrDefault("limit-window-ms", "60000"))));
        }
        // key-limits: key:limit-per-minute:FULL|LIMIT_ONLY|NONE, comma-separated; enforced over one second
        for (String spec : args.getOrDefault("key-limits", "").split(",")) {
            if (!spec.isBlank()) {
                String[] part = spec.strip().split(":");
                fake.limitKey(part[0], Long.parseLong(part[1]), Duration.ofMinutes(1), FakeOpenAi.Headers.valueOf(part[2]),
                        Duration.ofSeconds(1));
            }
        }
        fake.keepAsBaseline();
        Map<String, String> config = new HashMap<>();
        args.forEach((k, v) -> {
            if (k.contains(".")) {
                config.put(k, v.replace("${fake}", fake.baseUrl()));
            }
        });
        config.put("classifier.llm.base-url", fake.baseUrl());
        config.put("classifier.llm.api-keys", args.getOrDefault("keys", KEYS));
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectFakeOpenAi.class, FakeOpenAi.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
