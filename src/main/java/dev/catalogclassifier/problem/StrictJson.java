package dev.catalogclassifier.problem;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies are read as written, not as Jackson would guess: anything after the JSON value is an error (a body
 * glued to another, or cut and pasted twice, is not silently half-read), and a fraction where a whole number is
 * expected ({@code "pack": 2.5}) is refused rather than truncated. Both become 400 problems ({@link ProblemMappers}).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
