package dev.catalogclassifier.classify;

/** A snapshot of a running batch, sent as an SSE {@code progress} event after each item. */
public record Progress(int done, int total, int failed, double itemsPerSecond, Double etaSeconds) {
}
