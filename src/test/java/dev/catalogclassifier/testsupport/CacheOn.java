package dev.catalogclassifier.testsupport;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The result cache on, which the test profile turns off so that tests can count provider calls. */
public class CacheOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("classifier.cache.enabled", "true");
    }
}
