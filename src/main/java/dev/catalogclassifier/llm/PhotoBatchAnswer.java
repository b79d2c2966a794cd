package dev.catalogclassifier.llm;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's answer about a batch of photos of one category: what they show, and a summary. */
@RegisterForReflection
public record PhotoBatchAnswer(List<PhotoAnswer.Feature> features, String summary) {
}
