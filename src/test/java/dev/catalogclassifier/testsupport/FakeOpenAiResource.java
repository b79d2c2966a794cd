package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts {@link FakeOpenAi} on a free port and points the service at it with two keys, so no test can reach
 * a real provider even when the developer's shell has OPENAI_API_KEY set. A {@code keys} init argument
 * replaces the two keys.
 */
public class FakeOpenAiResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEYS = "test-key-alpha,test-key-bravo";

    private FakeOpenAi fake;
    private String keys = KEYS;

    @Override
    public void init(Map<String, String> initArgs) {
        keys = initArgs.getOrDefault("keys", KEYS);
    }

    @Override
    public Map<String, String> start() {
        try {
            fake = new FakeOpenAi(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("classifier.llm.base-url", fake.baseUrl(), "classifier.llm.api-keys", keys);
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
