package dev.catalogclassifier.llm;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import dev.catalogclassifier.tracing.Traces;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One key's client for an OpenAI-compatible {@code /chat/completions}: LangChain4j's chat request and response as
 * OpenAI's JSON ({@link ChatJson}), sent over the Vert.x HTTP client the service already runs.
 * <p>
 * It replaces LangChain4j's {@code OpenAiChatModel} on the REST client, whose filters, interceptors and handler
 * chain were a third of the service's CPU per call, and whose blocking call ignores interrupts, so each call needed
 * a thread of its own for its timeout. Here a call is a future: the caller's thread waits on it (an interrupt or a
 * cancel ends the wait) and reads the answer itself, so the event loop only moves bytes. An exchange whose caller
 * stopped waiting is not reset: it runs to its answer (or the connection's idle timeout), which is read off the
 * connection and dropped, so the pooled connection goes back to the pool whole rather than closed mid-exchange.
 * The rate-limit headers reach the key's pacer as the answer arrives; an error status leaves as a
 * {@link ProviderHttpException} with its wait; the body of an error is never read, since it can quote the key.
 */
final class ProviderClient {

    private static final Pattern SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

    private final HttpClient http;
    private final EventLoops loops;
    private final URI endpoint;
    private final String authorization;
    private final boolean strictSchema;
    private final String defaultModel;
    private final long timeoutMillis;
    private final Traces traces;

    ProviderClient(HttpClient http, EventLoops loops, String baseUrl, String secret, boolean strictSchema, String defaultModel,
            Duration timeout, Traces traces) {
        this.http = http;
        this.loops = loops;
        this.endpoint = URI.create(baseUrl.endsWith("/") ? baseUrl + "chat/completions" : baseUrl + "/chat/completions");
        this.authorization = "Bearer " + secret;
        this.strictSchema = strictSchema;
        this.defaultModel = defaultModel;
        this.timeoutMillis = timeout.toMillis();
        this.traces = traces;
    }

    /** An answer as it came: read on the caller's thread by {@link #read}. */
    record Answer(int status, Buffer body, Duration retryAfter) {
    }

    /**
     * Sends a request {@link #body} wrote; the future completes with the answer, or fails with the connection's
     * error. Cancelling it only stops the wait. {@code limits} gets the answer's rate-limit headers, when it has any.
     */
    CompletableFuture<Answer> send(byte[] body, Consumer<RateLimits> limits) {
        Span span = traces.startHttpRequest(endpoint);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(endpoint.toString())
                .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis)
                .putHeader("Authorization", authorization).putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json").putHeader("User-Agent", "catalog-classifier");
        traces.inject(span, options::putHeader);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        // started on an event-loop context (EventLoops says why): every callback below then runs on its thread, in
        // order, so the body's reader is attached before the body's end is handled
        loops.next().runOnContext(v -> http.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(response -> arrived(response, limits))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        traces.endHttpRequest(span, result.result().status(), null);
                        answer.complete(result.result());
                    } else {
                        traces.endHttpRequest(span, 0, result.cause());
                        answer.completeExceptionally(result.cause());
                    }
                }));
        return answer;
    }

    private io.vertx.core.Future<Answer> arrived(HttpClientResponse response, Consumer<RateLimits> limits) {
        MultiMap headers = response.headers();
        RateLimits stated = RateLimits.from(headers::get);
        if (stated.present()) {
            limits.accept(stated);
        }
        if (response.statusCode() >= 400) { // the body is dropped unread: an error's body can quote the key
            Duration wait = wait(headers, stated);
            return response.end().map(v -> new Answer(response.statusCode(), null, wait));
        }
        return response.body().map(b -> new Answer(response.statusCode(), b, null));
    }

    /**
     * The request as OpenAI's JSON ({@link ChatJson}), with {@code schema}'s text when the request asks for a JSON
     * answer; written before the exchange so that its time is not the exchange's.
     */
    byte[] body(ChatRequest request, PreparedSchema schema) {
        return ChatJson.request(request, defaultModel, schema, strictSchema);
    }

    /**
     * The answer as LangChain4j's {@link ChatResponse}, or the provider's error as a {@link ProviderHttpException};
     * a body that is not a chat completion leaves with its Jackson exception as the cause: a bad answer, not an outage.
     */
    ChatResponse read(Answer answer) {
        if (answer.status() >= 400) {
            throw new ProviderHttpException(answer.status(), answer.retryAfter());
        }
        return ChatJson.response(answer.body().getBytes());
    }

    /** The longer of Retry-After and the reset time of an exhausted limit; null when the provider said neither. */
    static Duration wait(MultiMap headers, RateLimits limits) {
        Duration retryAfter = retryAfter(headers);
        Duration reset = limits.untilUsable();
        if (retryAfter == null) {
            return reset.isZero() ? null : reset;
        }
        return reset.compareTo(retryAfter) > 0 ? reset : retryAfter;
    }

    /** {@code retry-after-ms} (OpenAI, Azure) is the most precise; then {@code Retry-After} in seconds or as a date. */
    static Duration retryAfter(MultiMap headers) {
        String millis = headers.get("retry-after-ms");
        if (millis != null && SECONDS.matcher(millis.strip()).matches()) {
            return Duration.ofMillis((long) Double.parseDouble(millis.strip()));
        }
        return parseRetryAfter(headers.get("Retry-After"));
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (SECONDS.matcher(v).matches()) {
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
