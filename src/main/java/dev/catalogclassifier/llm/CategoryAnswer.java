package dev.catalogclassifier.llm;

import dev.langchain4j.model.output.structured.Description;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's structured answer; LangChain4j derives the JSON schema sent to the provider from it. */
@RegisterForReflection
public record CategoryAnswer(
        @Description("one category from the list, spelled exactly as listed") String category,
        @Description("how sure you are, from 0 (guess) to 1 (certain)") double confidence) {
}
