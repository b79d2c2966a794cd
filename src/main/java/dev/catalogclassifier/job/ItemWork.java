package dev.catalogclassifier.job;

import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The message for one job item on the {@code job-items} channel: which item, not its text. A 100,000-item job's
 * messages then take a few megabytes wherever they wait, and the worker reads the items of a run in one query.
 */
@RegisterForReflection
public record ItemWork(UUID jobId, int index) {
}
