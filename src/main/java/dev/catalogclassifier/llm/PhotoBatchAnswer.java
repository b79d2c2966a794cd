package dev.catalogclassifier.llm;

import java.util.List;

import dev.langchain4j.model.output.structured.Description;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's answer about a batch of photos of one category: what they show, and a summary. */
@RegisterForReflection
public record PhotoBatchAnswer(
        @Description("the notable features the photos show, one entry per feature") List<PhotoAnswer.Feature> features,
        @Description("a short summary of the batch: condition and quality overall") String summary) {
}
