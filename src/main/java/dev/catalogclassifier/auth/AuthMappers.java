package dev.catalogclassifier.auth;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.catalogclassifier.problem.Problem;
import dev.catalogclassifier.problem.ProblemMappers;
import dev.catalogclassifier.problem.RouteProblems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;

/** A missing or refused caller as a problem document: 401 without a caller, 403 for what only an admin may see. */
public class AuthMappers {

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, RoutingContext request) {
        return unauthorized(request);
    }

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e, RoutingContext request) {
        return unauthorized(request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Response.status(403).type(ProblemMappers.PROBLEM_JSON)
                .entity(Problem.of("forbidden", "Forbidden", 403, "Only an admin may see this.")).build();
    }

    /** A stranger's body is not read: the connection closes after the answer ({@link RouteProblems#closeAfterAnswer}). */
    private static Response unauthorized(RoutingContext request) {
        RouteProblems.closeAfterAnswer(request);
        return Response.status(401).type(ProblemMappers.PROBLEM_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, ApiKeyMechanism.CHALLENGE).entity(AuthGate.unauthorized()).build();
    }
}
