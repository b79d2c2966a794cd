package dev.catalogclassifier.job;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;

import dev.catalogclassifier.classify.ClassificationRequest;
import dev.catalogclassifier.classify.Item;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /api/v1/jobs}: a classification request, up to 100,000 items, plus how to run it.
 * {@code taxonomy} and {@code classifier} work as in a classification request.
 * {@code execution} is {@code realtime} (the default); {@code budget_usd} is kept with the job. {@code pack} puts up
 * to that many text items into one model call, as on a request (realtime only: the Batch API is already billed at
 * half price per item). {@code explain} and {@code cascade} work as on a request; the precision is kept with the job.
 */
@RegisterForReflection
public record JobRequest(@JsonAlias("data") List<Item> items, String mode, Integer toggle, JsonNode taxonomy,
        String model, Boolean cache, String classifier, String imageDetail, String execution, Double budgetUsd, Integer pack,
        Boolean explain, ClassificationRequest.CascadeOptions cascade) {

    /** No options: everything at its default. */
    static final JobRequest NONE = new JobRequest(null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** These options with these items (an uploaded file's). */
    JobRequest withItems(List<Item> rows) {
        return new JobRequest(rows, mode, toggle, taxonomy, model, cache, classifier, imageDetail, execution, budgetUsd, pack,
                explain, cascade);
    }

    ClassificationRequest classification() {
        return new ClassificationRequest(items, mode, toggle, taxonomy, model, cache, classifier, imageDetail, budgetUsd, pack,
                explain, cascade);
    }
}
