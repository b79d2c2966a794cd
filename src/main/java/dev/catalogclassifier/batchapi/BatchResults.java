package dev.catalogclassifier.batchapi;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.catalogclassifier.classify.Choices;
import dev.catalogclassifier.classify.ItemResult;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.classify.TaxonomyTree;
import dev.catalogclassifier.llm.PriceTable;
import dev.catalogclassifier.llm.Usage;
import io.quarkus.logging.Log;

/**
 * Maps a batch's output and error files back to item results by {@code custom_id}. Each answer is checked as in
 * realtime (JSON with a category of the taxonomy and a confidence from 0 to 1) and priced at the batch discount.
 * An unusable answer fails its item with {@code invalid_answer}; there is no asking again inside a batch, and a
 * retry of the job's failed items runs them in realtime.
 */
final class BatchResults {

    private final ObjectMapper json;
    private final PriceTable prices;
    private final UUID jobId;
    private final Taxonomy taxonomy;
    private final String model;
    private final Map<Integer, String> ids;
    private final Map<Integer, ItemResult> results = new HashMap<>();

    /** {@code ids}: the item ids of the batch's items, by index. */
    BatchResults(ObjectMapper json, PriceTable prices, UUID jobId, Taxonomy taxonomy, String model, Map<Integer, String> ids) {
        this.json = json;
        this.prices = prices;
        this.jobId = jobId;
        this.taxonomy = taxonomy;
        this.model = model;
        this.ids = ids;
    }

    /** Reads one result file (output or errors); lines naming no item of this batch are skipped. */
    void read(String jsonl, long latencyMs) {
        if (jsonl == null) {
            return;
        }
        for (String text : jsonl.split("\n")) {
            if (text.isBlank()) {
                continue;
            }
            try {
                JsonNode line = json.readTree(text);
                int index = BatchLines.index(jobId, line.path("custom_id").asText(null));
                if (ids.containsKey(index) && !results.containsKey(index)) {
                    results.put(index, result(index, line, latencyMs));
                }
            } catch (IOException e) {
                Log.warnf("A result line of a batch of job %s is not JSON; its item is failed if nothing else answers it", jobId);
            }
        }
    }

    /** Results so far, and for every item no file answered, {@code code}. */
    Map<Integer, ItemResult> complete(String code, String message) {
        ids.forEach((index, id) -> results.computeIfAbsent(index, i -> ItemResult.failed(i, id, code, message, outcome(0, Usage.NONE))));
        return results;
    }

    private ItemResult result(int index, JsonNode line, long latencyMs) {
        String id = ids.get(index);
        JsonNode response = line.path("response");
        int status = response.path("status_code").asInt(0);
        if (!line.path("error").isMissingNode() && !line.path("error").isNull() || status != 200) {
            return ItemResult.failed(index, id, status == 429 ? "rate_limited" : status >= 500 ? "provider_error" : "provider_rejected",
                    "the Batch API answered this request with " + (status == 0 ? "an error" : "HTTP " + status),
                    outcome(latencyMs, Usage.NONE));
        }
        JsonNode body = response.path("body");
        JsonNode usage = body.path("usage");
        Usage cost = prices.priceBatch(model, usage.path("prompt_tokens").asLong(),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(), usage.path("completion_tokens").asLong());
        return answer(index, id, body.path("choices").path(0).path("message").path("content").asText(""),
                outcome(latencyMs, cost));
    }

    private ItemResult answer(int index, String id, String content, ItemResult.Outcome outcome) {
        try {
            JsonNode answer = json.readTree(content);
            String category = answer.path("category").asText(null);
            double confidence = answer.path("confidence").asDouble(Double.NaN);
            if (Choices.noneFits(category) && confidence >= 0 && confidence <= 1) {
                // a way out: BatchSteps walks on, or fails it
                return ItemResult.ok(index, id, TaxonomyTree.NONE_OF_THESE, confidence, outcome);
            }
            var matched = category == null ? java.util.Optional.<String>empty() : taxonomy.match(category);
            if (matched.isPresent() && confidence >= 0 && confidence <= 1) {
                return ItemResult.ok(index, id, matched.get(), confidence, outcome);
            }
        } catch (IOException e) {
            // not JSON: the same failure as a wrong category
        }
        return ItemResult.failed(index, id, "invalid_answer",
                "the model's answer in the batch was not a category of the taxonomy with a confidence from 0 to 1", outcome);
    }

    private ItemResult.Outcome outcome(long latencyMs, Usage usage) {
        return new ItemResult.Outcome(1, latencyMs, model, usage);
    }
}
