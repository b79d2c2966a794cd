package dev.catalogclassifier.llm;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's answer about several items at once: one entry per item, keyed by the item's id. */
@RegisterForReflection
public record PackAnswer(List<Entry> answers) {

    /** One item's answer. */
    public record Entry(String id, String category, double confidence) {
    }
}
