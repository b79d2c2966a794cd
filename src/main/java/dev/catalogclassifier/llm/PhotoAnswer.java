package dev.catalogclassifier.llm;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's structured answer about a product photo, read by {@link AnswerReader}; {@link AnswerSchemas} writes its schema. */
@RegisterForReflection
public record PhotoAnswer(String category, double confidence, List<Feature> features, String summary) {

    /** A text answer in the same shape, without features: null stays null (an unreadable answer). */
    public static PhotoAnswer of(CategoryAnswer answer) {
        return answer == null ? null : new PhotoAnswer(answer.category(), answer.confidence(), null, null);
    }

    /** One visible feature of the item. */
    public record Feature(String featureName, String description, String condition, int qualityRating) {
    }
}
