package dev.catalogclassifier.batchapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.catalogclassifier.classify.Choices;
import dev.catalogclassifier.classify.Item;
import dev.catalogclassifier.classify.ItemClassifier;
import dev.catalogclassifier.llm.AnswerSchemas;
import dev.catalogclassifier.llm.Prompts;

/**
 * The JSONL a batch uploads: one chat-completions request per item, asking exactly what the realtime path asks
 * (the same {@link Prompts} and the same {@link AnswerSchemas} schema, its {@code enum} what the item is offered: the
 * job's categories, an item's shortlist of a large taxonomy, or a level of its tree), with {@code custom_id} naming
 * the job item.
 */
final class BatchLines {

    private final ObjectMapper json;
    private final String model;

    BatchLines(ObjectMapper json, String model) {
        this.json = json;
        this.model = model;
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
    byte[] line(UUID jobId, int index, Item item, Choices offer) {
        ObjectNode line = json.createObjectNode();
        line.put("custom_id", customId(jobId, index)).put("method", "POST").put("url", "/v1/chat/completions");
        ObjectNode body = line.putObject("body");
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", Prompts.SYSTEM);
        messages.addObject().put("role", "user")
                .put("content", Prompts.classify(offer.list(), ItemClassifier.describe(item)));
        body.set("response_format", json.valueToTree(AnswerSchemas.responseFormat(AnswerSchemas.single(offer.names()).schema())));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            json.writeValue(out, line);
            out.write('\n');
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of {@code indexes}' items, each offered its own choices. */
    byte[] file(UUID jobId, List<Integer> indexes, List<Item> items, List<Choices> offers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < items.size(); i++) {
            out.writeBytes(line(jobId, indexes.get(i), items.get(i), offers.get(i)));
        }
        return out.toByteArray();
    }
}
