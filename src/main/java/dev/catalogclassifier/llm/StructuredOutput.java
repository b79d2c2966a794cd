package dev.catalogclassifier.llm;

import java.util.Locale;

/**
 * How a provider is told the shape of an answer. OpenAI, vLLM, llama.cpp, Ollama and LM Studio decode against a
 * strict JSON schema, whose {@code enum} makes an answer off the category list impossible; some gateways and
 * older servers refuse {@code response_format} or its {@code enum}, and get the schema in the prompt instead.
 */
public enum StructuredOutput {

    /** {@code response_format: json_schema}, strict, with the call's categories as an {@code enum}. */
    STRICT_SCHEMA,
    /**
     * No {@code response_format}: the schema is written into the system message, and an answer off the list is
     * asked again once with the reason, as for any unusable answer.
     */
    PROMPT;

    /** How {@code GET /api/v1/providers} names it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
