package dev.catalogclassifier.batchapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.classify.Item;
import dev.catalogclassifier.classify.ItemClassifier;
import dev.catalogclassifier.classify.Taxonomy;
import dev.catalogclassifier.llm.AnswerSchemas;
import dev.catalogclassifier.llm.Prompts;

/**
 * The JSONL a batch uploads: one chat-completions request per item, asking exactly what the realtime path asks
 * (the same {@link Prompts} and the same {@link AnswerSchemas} schema, its {@code enum} the job's categories), with
 * {@code custom_id} naming the job item.
 */
final class BatchLines {

    private final ObjectMapper json;
    private final String model;
    private final Taxonomy taxonomy;

    BatchLines(ObjectMapper json, String model, Taxonomy taxonomy) {
        this.json = json;
        this.model = model;
        this.taxonomy = taxonomy;
    }

    static String customId(UUID jobId, int index) {
        return jobId + "/" + index;
    }

    /** The item index a {@code custom_id} names, or -1 when it is not one of this job's. */
    static int index(UUID jobId, String customId) {
        String prefix = jobId + "/";
        if (customId == null || !customId.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(customId.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One request line, with its newline. */
    byte[] line(UUID jobId, int index, Item item) {
        ObjectNode line = json.createObjectNode();
        line.put("custom_id", customId(jobId, index)).put("method", "POST").put("url", "/v1/chat/completions");
        ObjectNode body = line.putObject("body");
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", Prompts.SYSTEM);
        messages.addObject().put("role", "user")
                .put("content", Prompts.classify(taxonomy.asPromptList(), ItemClassifier.describe(item)));
        body.set("response_format", json.valueToTree(AnswerSchemas.responseFormat(AnswerSchemas.single(taxonomy.categories()))));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            json.writeValue(out, line);
            out.write('\n');
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] file(UUID jobId, int firstIndex, List<Item> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < items.size(); i++) {
            out.writeBytes(line(jobId, firstIndex + i, items.get(i)));
        }
        return out.toByteArray();
    }
}
