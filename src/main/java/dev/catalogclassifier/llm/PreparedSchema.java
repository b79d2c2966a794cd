package dev.catalogclassifier.llm;

import dev.langchain4j.model.chat.request.json.JsonSchema;

/**
 * An answer's schema and its JSON text, written once when the schema is built ({@link AnswerSchemas}) rather than at
 * each call: the text goes into the request as it is ({@link ChatJson}), into the prompt for a provider told the
 * schema there, and its length into the call's token estimate.
 *
 * @param json the schema's root object as JSON, as strict decoding takes it
 */
public record PreparedSchema(JsonSchema schema, String json) {
}
