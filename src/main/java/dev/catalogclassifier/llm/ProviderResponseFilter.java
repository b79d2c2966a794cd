package dev.catalogclassifier.llm;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

import io.quarkus.arc.Arc;

/**
 * Reads the headers of every provider answer before the LangChain4j client throws them away: the rate-limit
 * headers go to the pacer of the key that made the call (found by the request's credentials, since this filter
 * runs on the client's threads, not the caller's), and an error's status and wait leave as a
 * {@link ProviderHttpException}. Only OpenAI API paths are touched; the body is never read, since error bodies
 * can quote the API key.
 */
@Provider
public class ProviderResponseFilter implements ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (!isModelCall(request)) {
            return;
        }
        RateLimits limits = RateLimits.from(response::getHeaderString);
        if (limits.present()) {
            observe(request, limits);
        }
        if (response.getStatus() >= 400) {
            throw new ProviderHttpException(response.getStatus(), wait(response, limits));
        }
    }

    private static void observe(ClientRequestContext request, RateLimits limits) {
        var pool = Arc.container().instance(ProviderPool.class);
        if (pool.isAvailable()) {
            pool.get().byCredentials(request.getHeaderString("Authorization"), request.getHeaderString("api-key"))
                    .ifPresent(key -> key.pacer().observe(limits, System.nanoTime()));
        }
    }

    private static boolean isModelCall(ClientRequestContext request) {
        return request.getUri().getPath().endsWith("/chat/completions");
    }

    /** The longer of Retry-After and the reset time of an exhausted limit; null when the provider said neither. */
    static Duration wait(ClientResponseContext response, RateLimits limits) {
        Duration retryAfter = retryAfter(response);
        Duration reset = limits.untilUsable();
        if (retryAfter == null) {
            return reset.isZero() ? null : reset;
        }
        return reset.compareTo(retryAfter) > 0 ? reset : retryAfter;
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
