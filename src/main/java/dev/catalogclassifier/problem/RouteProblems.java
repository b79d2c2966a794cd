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

    /** Ends the response with {@code problem}; {@code header} (name, value) is added when given. */
    public io.vertx.core.Future<Void> answer(RoutingContext context, Problem problem, String... header) {
        var response = context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, ProblemMappers.PROBLEM_JSON);
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
