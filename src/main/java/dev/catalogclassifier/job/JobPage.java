package dev.catalogclassifier.job;

import java.util.List;

/** One page of a listing: the rows, and where they sit in the whole. */
public record JobPage<T>(List<T> items, long total, int offset, int limit) {
}
