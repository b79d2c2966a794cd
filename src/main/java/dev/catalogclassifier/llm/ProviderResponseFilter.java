package dev.catalogclassifier.llm;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads the headers of a provider's error answer before the LangChain4j client throws them away.
 * Only OpenAI API paths are touched; the body is never read, since error bodies can quote the API key.
 */
@Provider
public class ProviderResponseFilter implements ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (response.getStatus() >= 400 && isModelCall(request)) {
            throw new ProviderHttpException(response.getStatus(), retryAfter(response));
        }
    }

    private static boolean isModelCall(ClientRequestContext request) {
        return request.getUri().getPath().endsWith("/chat/completions");
    }

    /** {@code retry-after-ms} (OpenAI, Azure) is the most precise; then {@code Retry-After} in seconds or as a date. */
    static Duration retryAfter(ClientResponseContext response) {
        String millis = response.getHeaderString("retry-after-ms");
        if (millis != null && millis.strip().matches("\\d+(\\.\\d+)?")) {
            return Duration.ofMillis((long) Double.parseDouble(millis.strip()));
        }
        return parseRetryAfter(response.getHeaderString("Retry-After"));
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
