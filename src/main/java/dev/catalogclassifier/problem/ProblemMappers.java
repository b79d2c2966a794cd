package dev.catalogclassifier.problem;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;

/**
 * Turns every failure that reaches the HTTP layer into {@code application/problem+json}.
 * Client mistakes are logged at DEBUG at most (they are not our errors); only unexpected failures are logged
 * at ERROR, under an id that the response repeats so an operator can find the log line.
 */
public class ProblemMappers {

    public static final String PROBLEM_JSON = "application/problem+json";

    private final int maxIdLength;
    private final int maxTextLength;
    private final int maxCategoryLength;

    /**
     * The request limits by name (their defaults are {@code RequestsConfig}'s): they belong to {@code classify}, which
     * depends on this package, not the reverse.
     */
    public ProblemMappers(@ConfigProperty(name = "classifier.requests.max-id-length") int maxIdLength,
            @ConfigProperty(name = "classifier.requests.max-text-length") int maxTextLength,
            @ConfigProperty(name = "classifier.requests.max-category-length") int maxCategoryLength) {
        this.maxIdLength = maxIdLength;
        this.maxTextLength = maxTextLength;
        this.maxCategoryLength = maxCategoryLength;
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return respond(Problem.invalid("The request has " + e.errors().size() + " invalid field(s).", e.errors()));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        Log.debugf("Unreadable request body: %s", e.getOriginalMessage());
        boolean mapped = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty() && !truncated(e);
        if (mapped && tooLong(e) != null) {
            String field = path((JsonMappingException) e);
            return respond(Problem.invalid("The body is JSON but a value is too long.", List.of(new FieldError(field,
                    "is longer than " + limitOf(field) + " characters"))));
        }
        if (mapped) {
            return respond(Problem.invalid("The body is JSON but does not match the request schema.",
                    List.of(new FieldError(path((JsonMappingException) e), "has the wrong type or shape"))));
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            return respond(Problem.invalid("The body has more after its JSON value.",
                    List.of(new FieldError("", "must be one JSON value with nothing after it"))));
        }
        if (e instanceof MismatchedInputException root && root.getPath().isEmpty() && !truncated(e)
                && root.getTargetType() != null && !root.getTargetType().isArray()) {
            // valid JSON, such as [1, 2] or "text", where the request is an object
            return respond(Problem.invalid("The body is JSON but not a JSON object.",
                    List.of(new FieldError("", "must be a JSON object"))));
        }
        return respond(Problem.invalid("The body is not valid JSON" + location(e) + ".", List.of()));
    }

    /** Jackson's own length limit on one string, far above ours: the caller gets our limit, as for a shorter text. */
    private static StreamConstraintsException tooLong(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException limit && limit.getMessage() != null
                    && limit.getMessage().startsWith("String value length")) {
                return limit;
            }
        }
        return null;
    }

    private int limitOf(String field) {
        if (field.endsWith(".id")) {
            return maxIdLength;
        }
        return field.startsWith("taxonomy") || field.startsWith("categories") ? maxCategoryLength : maxTextLength;
    }

    /** Quarkus ships mappers for these narrower Jackson types; ours must be as narrow to win. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response syntax(JsonParseException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(Problem.of(e.slug(), e.title(), e.status(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadable(json);
        }
        Response.StatusType info = Response.Status.fromStatusCode(status);
        String title = info == null ? "HTTP " + status : info.getReasonPhrase();
        return respond(Problem.of("http-" + status, title, status, title + "."));
    }

    /**
     * A multipart body that ends before its closing boundary, or is not multipart at all, fails inside RESTEasy's
     * parser as an {@link java.io.IOException}: the caller's body is at fault. Any other I/O failure is ours.
     */
    @ServerExceptionMapper
    public Response io(java.io.IOException e) {
        boolean multipart = java.util.Arrays.stream(e.getStackTrace())
                .anyMatch(frame -> frame.getClassName().startsWith(MULTIPART_PARSER));
        if (!multipart) {
            return unexpected(e);
        }
        Log.debugf("Unreadable multipart body: %s", e.getMessage());
        return respond(Problem.invalid("The multipart body is cut short or malformed.",
                List.of(new FieldError("", "must be a whole multipart/form-data body, ending with its closing boundary"))));
    }

    private static final String MULTIPART_PARSER = "org.jboss.resteasy.reactive.server.core.multipart.";

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        String id = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected failure %s", id);
        return respond(Problem.of("internal-error", "Internal error", 500,
                "Something went wrong on our side; quote " + id + " when reporting it."));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(PROBLEM_JSON).entity(problem).build();
    }

    /** Jackson reports a body cut short as a mapping problem; for the caller it is simply not valid JSON. */
    private static boolean truncated(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        return message != null && message.contains("end-of-input");
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    private static String location(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }
}
