package dev.catalogclassifier.taxonomy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.catalogclassifier.cascade.CascadeView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code GET /api/v1/taxonomies/{name}} answers: the definition without the examples' bulk, which is
 * summarised by a count per category, and what its cascade promises ({@code cascade}): the threshold for its
 * precision, with the share settled and the precision estimated by its calibration. {@code examples_by_source} says
 * whose the examples are: the definition's ({@code put}), the caller's ({@code caller}), confirmed answers of the
 * model ({@code confirmed}) and answers of the model it learnt ({@code model}).
 */
@RegisterForReflection
public record TaxonomyView(String name, List<String> categories, Map<String, String> descriptions, String itemText,
        int examples,
        Map<String, Integer> examplesByCategory, Map<String, Integer> examplesBySource, String model, String source,
        Instant updatedAt, CascadeView cascade, ModelFeedback modelFeedback) {

    /**
     * What the caller's feedback said of the LLM's answers in this taxonomy, and the precision its answers are judged to
     * start from: {@code classifier.review.model-precision} counted as 20 answers, plus these.
     */
    @RegisterForReflection
    public record ModelFeedback(int confirmed, int corrected, double estimatedPrecision) {
    }
}
