package dev.catalogclassifier.llm;

import java.util.List;

import dev.langchain4j.model.output.structured.Description;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's structured answer about a product photo, read by {@link AnswerReader}; {@link AnswerSchemas} writes its schema. */
@RegisterForReflection
public record PhotoAnswer(
        @Description("one category from the list, spelled exactly as listed") String category,
        @Description("how sure you are, from 0 (guess) to 1 (certain)") double confidence,
        @Description("what the photo shows of the item: its notable features") List<Feature> features,
        @Description("one line on what the photo shows") String summary) {

    /** A text answer in the same shape, without features: null stays null (an unreadable answer). */
    public static PhotoAnswer of(CategoryAnswer answer) {
        return answer == null ? null : new PhotoAnswer(answer.category(), answer.confidence(), null, null);
    }

    /** One visible feature of the item. */
    public record Feature(
            @Description("short name of the feature, e.g. 'armrests'") String featureName,
            @Description("what it looks like") String description,
            @Description("condition: new, like new, good, fair or poor") String condition,
            @Description("quality from 1 (poor) to 10 (excellent)") int qualityRating) {
    }
}
