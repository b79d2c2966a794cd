package dev.catalogclassifier.problem;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request over the size limits with a problem document, before anything reads it: a URI too long (414),
 * headers too large (431), a declared body over {@code quarkus.http.limits.max-body-size} (413). The HTTP decoder
 * and the body reader answer these themselves with empty bodies; their own limits are set above these, so a
 * caller gets the problem. A chunked body without a length that grows past the limit still gets the reader's
 * empty 413: its size is known only while it is read.
 */
@ApplicationScoped
public class HttpLimits {

    private final RouteProblems problems;
    private final HttpLimitsConfig config;
    private final long maxBodyBytes;

    public HttpLimits(RouteProblems problems, HttpLimitsConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.problems = problems;
        this.config = config;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.uri().length() > config.maxUriLength()) {
            refuse(context, 414, "uri-too-long", "URI Too Long",
                    "The request URI is longer than " + config.maxUriLength() + " characters.");
        } else if (headerBytes(request) > config.maxHeaderBytes()) {
            refuse(context, 431, "headers-too-large", "Request Header Fields Too Large",
                    "The request headers are larger than " + config.maxHeaderBytes() + " bytes.");
        } else if (declaredLength(request) > maxBodyBytes) {
            refuse(context, 413, "body-too-large", "Content Too Large",
                    "The body is larger than " + maxBodyBytes + " bytes; send large batches as several jobs.");
        } else {
            context.next();
        }
    }

    private static long headerBytes(HttpServerRequest request) {
        long bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
        }
        return bytes;
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1; // the HTTP decoder refuses it
        }
    }

    private void refuse(RoutingContext context, int status, String slug, String title, String detail) {
        // then the connection closes: an unread body (413) must not be taken for the next request
        problems.answer(context, Problem.of(slug, title, status, detail), "Connection", "close")
                .onComplete(sent -> context.request().connection().close());
    }
}
