package dev.catalogclassifier.classify;

import java.util.List;

/** A request that passed validation, with every default filled in. */
public record ValidatedRequest(List<Item> items, Mode mode, Taxonomy taxonomy, String model, boolean useCache,
        Strategy strategy) {
}
