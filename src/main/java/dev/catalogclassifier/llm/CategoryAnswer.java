package dev.catalogclassifier.llm;

import dev.langchain4j.model.output.structured.Description;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's structured answer, read by {@link AnswerReader}; {@link AnswerSchemas} writes the schema it follows. */
@RegisterForReflection
public record CategoryAnswer(
        @Description("one category from the list, spelled exactly as listed") String category,
        @Description("how sure you are, from 0 (guess) to 1 (certain)") double confidence) {
}
