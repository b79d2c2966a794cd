package dev.catalogclassifier.problem;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A problem document answered from a Vert.x route, for what is refused before any resource runs (size limits, failed
 * authentication), where the JAX-RS exception mappers cannot answer.
 */
@ApplicationScoped
public class RouteProblems {

    private final ObjectMapper json;

    public RouteProblems(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Closes a refused request's connection once the answer is out, when its body is still coming (a stranger's
     * upload, a body over the size limit): reading it only to keep the connection would take whatever the sender
     * sends. HTTP/2 ends the stream alone, and forbids the header.
     */
    public static void closeAfterAnswer(RoutingContext context) {
        var request = context.request();
        if (!request.isEnded() && request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            // the header alone waits for the request's end before closing, which is what a trickled body never sends
            context.addEndHandler(done -> request.connection().close());
        }
    }

    /** Ends the response with {@code problem}; {@code header} (name, value) is added when given. */
    public io.vertx.core.Future<Void> answer(RoutingContext context, Problem problem, String... header) {
        var response = context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMappers.PROBLEM_JSON);
        if (problem.status() >= 400) {
            closeAfterAnswer(context);
        }
        if (header.length == 2) {
            response.putHeader(header[0], header[1]);
        }
        try {
            return response.end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a record of strings
        }
    }
}
