package dev.catalogclassifier.classify;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A batch to classify, as received: nothing is trusted until {@link RequestValidator} has looked at it.
 * The earlier furniture API's names are accepted too: {@code data} for {@code items}, and {@code toggle}
 * (1 = text, 0 = image) for {@code mode}. {@code cache: false} skips stored answers and asks the model.
 * {@code taxonomy} is a list of categories or the name of a stored taxonomy.
 * {@code image_detail} is {@code high} (the default) or {@code low} (photos sent at 512 px).
 * {@code classifier} is {@code llm}, {@code local} or {@code cascade} (see {@link Strategy}).
 * {@code budget_usd} caps what the request may spend on the model (see {@code Budget}).
 * {@code pack} puts up to that many text items into one model call (see {@link PackClassifier}).
 * {@code explain: true} adds to each result the categories it was chosen from ({@code candidates}).
 */
@RegisterForReflection
public record ClassificationRequest(@JsonAlias("data") List<Item> items, String mode, Integer toggle,
        JsonNode taxonomy, String model, Boolean cache, String classifier, String imageDetail, Double budgetUsd,
        Integer pack, Boolean explain) {
}
