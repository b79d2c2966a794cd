package dev.catalogclassifier.llm;

import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * Reads the model's answer into its record, as leniently as LangChain4j's AI services do: the JSON object is taken
 * from whatever surrounds it (a Markdown fence, a sentence before it), unknown fields are ignored and raw control
 * characters inside strings pass. What cannot be read throws, and the caller asks again.
 */
@ApplicationScoped
public class AnswerReader {

    /** From the first brace to the last: the answer's object, with anything the model wrote around it left out. */
    private static final Pattern OBJECT = Pattern.compile("(?s)\\{.*\\}");

    /** A reader for each kind of answer, made at its first answer rather than looked up again for each. */
    private final ClassValue<ObjectReader> readers;

    public AnswerReader(ObjectMapper json) {
        ObjectMapper lenient = json.copy().configure(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS.mappedFeature(), true);
        this.readers = new ClassValue<>() {
            @Override
            protected ObjectReader computeValue(Class<?> type) {
                return lenient.readerFor(type);
            }
        };
    }

    <T> T read(ChatResponse response, Class<T> type) {
        String text = response.aiMessage().text();
        if (text == null) {
            throw new IllegalArgumentException("the answer had no text");
        }
        Matcher object = OBJECT.matcher(text);
        try {
            return readers.get(type).readValue(object.find() ? object.group() : text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
