package dev.catalogclassifier.problem;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The error answers of the OpenAPI document, declared once: every one is a {@link Problem} as
 * {@code application/problem+json}. Operations name the ones they give, e.g.
 * {@code @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)}. SmallRye OpenAPI reads the definition
 * from the JAX-RS {@link Application}, so this is one: it sets no path and lists no resources, so Quarkus REST serves
 * them all as without it.
 */
@OpenAPIDefinition(info = @Info(title = "catalog-classifier", version = "v1", description = "Sorts ecommerce product "
        + "items into the caller's own taxonomy with LLMs and an in-process model: streamed results, durable jobs, "
        + "photo validation. Errors are RFC 9457 problems (application/problem+json)."),
        // where the document is served from: a client generated from it is pointed at its own service
        servers = @Server(url = "/", description = "the service that serves this document"),
        // every /api call names its caller with either scheme (a service run open, without callers, ignores both)
        security = { @SecurityRequirement(name = ProblemResponses.BEARER), @SecurityRequirement(name = ProblemResponses.API_KEY) },
        components = @Components(securitySchemes = {
        @SecurityScheme(securitySchemeName = ProblemResponses.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
                bearerFormat = "JWT", description = "A JWT whose tenant claim (or subject) names the caller's tenant"),
        @SecurityScheme(securitySchemeName = ProblemResponses.API_KEY, type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.HEADER, apiKeyName = "X-API-Key", description = "A static API key of a tenant")
        }, responses = {
        @APIResponse(name = ProblemResponses.BAD_REQUEST, responseCode = "400",
                description = "What is wrong with the request; errors[] has one entry per bad field",
                content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = ProblemResponses.UNAUTHORIZED, responseCode = "401",
                description = "No credential, or one the service does not accept (where it requires callers to name "
                        + "themselves); WWW-Authenticate says which",
                content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = ProblemResponses.NOT_FOUND, responseCode = "404",
                description = "Nothing of that id or name",
                content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = ProblemResponses.CONFLICT, responseCode = "409",
                description = "Not in this state: a job still running, or with nothing failed to retry; a taxonomy still "
                        + "being prepared",
                content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = ProblemResponses.TOO_LARGE, responseCode = "413",
                description = "The body is larger than the configured limit",
                content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class))),
        @APIResponse(name = ProblemResponses.UNAVAILABLE, responseCode = "503",
                description = "The database or every provider key is unreachable; retry later",
                content = @Content(mediaType = ProblemMappers.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
}))
public class ProblemResponses extends Application {

    public static final String BAD_REQUEST = "BadRequest";
    public static final String NOT_FOUND = "NotFound";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String CONFLICT = "Conflict";
    public static final String TOO_LARGE = "TooLarge";
    public static final String UNAVAILABLE = "Unavailable";
    public static final String BEARER = "bearer";
    public static final String API_KEY = "apiKey";
}
