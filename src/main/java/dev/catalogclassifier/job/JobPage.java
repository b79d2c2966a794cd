package dev.catalogclassifier.job;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of a listing: the rows, and where they sit in the whole. */
@RegisterForReflection
public record JobPage<T>(List<T> items, long total, int offset, int limit) {
}
