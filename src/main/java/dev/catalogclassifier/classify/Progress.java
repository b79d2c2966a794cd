package dev.catalogclassifier.classify;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A snapshot of a running batch, sent as an SSE {@code progress} event after each item. */
@RegisterForReflection
public record Progress(int done, int total, int failed, double itemsPerSecond, Double etaSeconds) {
}
