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
 * model ({@code confirmed}) and answers of the model it learnt ({@code model}). {@code status} says whether requests
 * may name it yet, and {@code preparation} how far a background preparation (a PUT answered 202) has got.
 */
@RegisterForReflection
public record TaxonomyView(String name, TaxonomyStatus status, List<String> categories, Map<String, String> descriptions,
        String itemText, int examples,
        Map<String, Integer> examplesByCategory, Map<String, Integer> examplesBySource, String model, String source,
        Instant updatedAt, CascadeView cascade, ModelFeedback modelFeedback, Preparation preparation) {

    /**
     * A background preparation (a PUT answered 202): its phase, since when, how much it embeds, and why it failed.
     * On a ready taxonomy, a newer definition being prepared; the stored one answers requests meanwhile.
     */
    @RegisterForReflection
    public record Preparation(PreparationPhase phase, Instant startedAt, int categories, int examples, String error) {
    }

    /** The view of a taxonomy not stored yet: what its definition says, and how far its preparation got. */
    static TaxonomyView preparing(String name, TaxonomyDefinition definition, Preparation preparation) {
        return new TaxonomyView(name, preparation.phase() == PreparationPhase.FAILED ? TaxonomyStatus.FAILED : TaxonomyStatus.PREPARING,
                definition.categories().stream().map(String::strip).toList(), definition.descriptionsOrEmpty(),
                definition.itemTextOrDefault().label(), definition.examplesOrEmpty().size(), null, null, null, "api", null, null,
                null, preparation);
    }

    /** The same view with a newer definition in preparation (null: none). */
    TaxonomyView with(Preparation pending) {
        return new TaxonomyView(name, status, categories, descriptions, itemText, examples, examplesByCategory,
                examplesBySource, model, source, updatedAt, cascade, modelFeedback, pending);
    }

    /**
     * What the caller's feedback said of the LLM's answers in this taxonomy, and the precision its answers are judged to
     * start from: {@code classifier.review.model-precision} counted as 20 answers, plus these.
     */
    @RegisterForReflection
    public record ModelFeedback(int confirmed, int corrected, double estimatedPrecision) {
    }
}
