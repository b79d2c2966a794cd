package dev.catalogclassifier.classify;

import java.util.List;

/** The JSON answer: every result in request order, and the totals. */
public record ClassificationResponse(List<ItemResult> results, Summary summary) {
}
