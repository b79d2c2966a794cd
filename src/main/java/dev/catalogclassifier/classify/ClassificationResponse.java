package dev.catalogclassifier.classify;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON answer: every result in request order, and the totals. */
@RegisterForReflection
public record ClassificationResponse(List<ItemResult> results, Summary summary) {
}
