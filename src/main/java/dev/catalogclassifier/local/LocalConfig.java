package dev.catalogclassifier.local;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The in-process classifier and the cascade in front of the LLM. */
@ConfigMapping(prefix = "classifier.local")
public interface LocalConfig {

    /**
     * Label descriptions for zero-shot classification, by category name; a category without one is described by
     * its name alone. Defaults cover the furniture taxonomy.
     */
    Map<String, String> descriptions();

    /** With a provider key, run requests that do not say otherwise as a cascade (else straight to the LLM). */
    @WithDefault("true")
    boolean cascadeByDefault();

    /** Threads for local inference; 0 means one per core. It is CPU-bound, so never one per item. */
    @WithDefault("0")
    int threads();

    /**
     * Load the embedding model in the background at start, rather than on the first item that needs it: the first
     * request is not slowed by it, and a pod that stops before any local work still has the model's classes (a
     * stopping application cannot load it: ONNX Runtime's environment is gone). Readiness waits for it. Off in tests,
     * which restart the service many times.
     */
    @WithDefault("true")
    boolean warmUp();
}
