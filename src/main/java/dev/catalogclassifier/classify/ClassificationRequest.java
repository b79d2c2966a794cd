package dev.catalogclassifier.classify;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.Range;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.cascade.TargetPrecision;
import dev.catalogclassifier.classify.validation.AllowedModel;
import dev.catalogclassifier.classify.validation.TaxonomyShape;
import dev.catalogclassifier.classify.validation.UniqueIds;
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
 * {@code cascade.precision} is the precision a cascade's locally settled items should reach (see {@code Cascades}).
 */
@RegisterForReflection
public record ClassificationRequest(
        @JsonAlias("data") @NotEmpty(message = "must contain at least one item") @UniqueIds
        List<@NotNull(message = "must be an object") @Valid Item> items,
        @Pattern(regexp = "(?iU)\\s*(auto|text|image)\\s*", message = "must be one of auto, text, image") String mode,
        @Range(min = 0, max = 1, message = "must be 1 (text) or 0 (image)") Integer toggle,
        @TaxonomyShape JsonNode taxonomy,
        @AllowedModel String model,
        Boolean cache,
        @Pattern(regexp = "(?iU)\\s*(llm|local|cascade)\\s*", message = "must be one of llm, local, cascade") String classifier,
        @Pattern(regexp = "(?iU)\\s*(high|low)\\s*", message = "must be high or low") String imageDetail,
        @Positive(message = BUDGET) @DecimalMax(value = "1e9", inclusive = false, message = BUDGET) Double budgetUsd,
        @Range(min = 1, max = PackClassifier.MAX_PACK, message = "must be from {min} to {max} items per model call") Integer pack,
        Boolean explain,
        @Valid CascadeOptions cascade) {

    private static final String BUDGET = "must be a positive amount of US dollars";

    /** {@code "cascade": {"precision": 0.97}}: the precision the items settled locally should reach. */
    @RegisterForReflection
    public record CascadeOptions(
            @DecimalMin(value = "0", inclusive = false, message = TargetPrecision.INVALID)
            @DecimalMax(value = "1", inclusive = false, message = TargetPrecision.INVALID) Double precision) {
    }
}
