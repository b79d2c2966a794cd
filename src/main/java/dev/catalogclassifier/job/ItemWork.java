package dev.catalogclassifier.job;

import java.util.UUID;

import dev.catalogclassifier.classify.Item;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The message for one job item on the {@code job-items} channel: enough to classify it without a lookup. */
@RegisterForReflection
public record ItemWork(UUID jobId, int index, Item item) {
}
