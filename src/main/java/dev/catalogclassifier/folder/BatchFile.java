package dev.catalogclassifier.folder;

import java.util.List;

import dev.catalogclassifier.llm.PhotoAnswer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One {@code output/<property>/<category>_batch_NN.json}: the photos described together, what they show, and
 * what the call cost. Photos that failed a check are listed with their reason and were not sent.
 */
@RegisterForReflection
public record BatchFile(String property, String category, int batch, int imagesAnalyzed, List<String> images,
        List<Skipped> skipped, List<PhotoAnswer.Feature> features, String summary, double costUsd, String model) {

    /** A photo left out, and why (the check's code, or the reason it could not be read). */
    public record Skipped(String file, String reason) {
    }
}
