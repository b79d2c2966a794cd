package dev.catalogclassifier.llm;

import java.util.List;

import dev.langchain4j.model.output.structured.Description;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The model's answer about several items at once: one entry per item, keyed by the item's id. */
@RegisterForReflection
public record PackAnswer(@Description("one answer for each item, with the item's id") List<Entry> answers) {

    /** One item's answer. */
    public record Entry(
            @Description("the item's id, exactly as given") String id,
            @Description("one category from the list, spelled exactly as listed") String category,
            @Description("how sure you are, from 0 (guess) to 1 (certain)") double confidence) {
    }
}
