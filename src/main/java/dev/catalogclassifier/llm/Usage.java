package dev.catalogclassifier.llm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Tokens one item (or one request) used and what they cost. {@code cachedTokens} is the part of
 * {@code promptTokens} the provider served from its prompt cache, billed at the cached-input price.
 */
@RegisterForReflection
public record Usage(long promptTokens, long cachedTokens, long completionTokens, double costUsd) {

    public static final Usage NONE = new Usage(0, 0, 0, 0);

    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, cachedTokens + other.cachedTokens,
                completionTokens + other.completionTokens, costUsd + other.costUsd);
    }
}
