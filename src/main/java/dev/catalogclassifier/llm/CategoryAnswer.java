package dev.catalogclassifier.llm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's structured answer, read by {@link AnswerReader}; {@link AnswerSchemas} writes the schema it follows. */
@RegisterForReflection
public record CategoryAnswer(String category, double confidence) {
}
