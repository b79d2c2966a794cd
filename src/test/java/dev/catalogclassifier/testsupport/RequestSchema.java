package dev.catalogclassifier.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * OpenAI's own schema of a chat-completions request ({@code CreateChatCompletionRequest} of its published OpenAPI
 * document, {@code bench/data/openai-chat-schemas.json}), as JSON Schema 2020-12: what a real provider accepts.
 */
final class RequestSchema {

    private static final Path FILE = Path.of("bench", "data", "openai-chat-schemas.json");
    private static final Schema CHAT_REQUEST = load();

    private RequestSchema() {
    }

    private static Schema load() {
        try {
            String document = Files.readString(FILE).strip();
            // the document's components, with the request as its root: its $refs resolve within the same document
            String rooted = "{\"$ref\": \"#/components/schemas/CreateChatCompletionRequest\"," + document.substring(1);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(rooted, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException("the fake provider validates requests against " + FILE.toAbsolutePath(), e);
        }
    }

    /** What is wrong with a chat request body, by its place in the body; empty when it holds. */
    static List<String> errors(String body) {
        return CHAT_REQUEST.validate(body, InputFormat.JSON).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }
}
