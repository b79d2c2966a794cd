package dev.catalogclassifier.job;

import java.util.UUID;

import dev.catalogclassifier.classify.Item;

/** The message for one job item on the {@code job-items} channel: enough to classify it without a lookup. */
public record ItemWork(UUID jobId, int index, Item item) {
}
