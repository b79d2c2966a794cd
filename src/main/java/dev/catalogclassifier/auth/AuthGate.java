package dev.catalogclassifier.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.catalogclassifier.problem.Problem;
import dev.catalogclassifier.problem.RouteProblems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Where the API requires a caller: every {@code /api/} request without one is a 401 problem, and the providers'
 * view (keys' health, for operators) is an admin's. Credentials that do not authenticate (an unknown key, a token
 * that is expired, badly signed or of another issuer) fail before any resource runs; they are answered here too,
 * with the same 401 problem, which never repeats what was sent.
 */
@ApplicationScoped
public class AuthGate {

    private final Callers callers;
    private final RouteProblems problems;

    public AuthGate(Callers callers, RouteProblems problems) {
        this.callers = callers;
        this.problems = problems;
    }

    @ServerRequestFilter
    public void requireCaller(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!callers.required() || !path.startsWith("/api/")) {
            return;
        }
        Caller caller = callers.current(); // 401 when anonymous
        if (path.startsWith("/api/v1/providers") && !caller.admin()) {
            throw new ForbiddenException();
        }
    }

    void failures(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
        // Quarkus answers a permission's challenge to an anonymous caller itself, with an empty body: the metrics'
        // anonymous callers get the API's problem before it gets the chance
        router.route("/q/metrics*").order(Integer.MIN_VALUE).handler(this::anonymousMetrics);
    }

    private void anonymousMetrics(RoutingContext context) {
        var headers = context.request().headers();
        if (callers.required() && headers.get("Authorization") == null && headers.get(ApiKeyMechanism.HEADER) == null) {
            problems.answer(context, unauthorized(), "WWW-Authenticate", ApiKeyMechanism.CHALLENGE);
        } else {
            context.next();
        }
    }

    /**
     * Failures of authentication, and refusals of an HTTP permission ({@code /q/metrics}' policy), as problems: the
     * same documents {@code /api} answers, where Quarkus alone would send an empty body.
     */
    private void answer(RoutingContext context) {
        if (context.response().ended()) {
            context.next();
            return;
        }
        switch (context.failure()) {
            case AuthenticationFailedException e -> problems.answer(context, unauthorized(), "WWW-Authenticate",
                    ApiKeyMechanism.CHALLENGE);
            case io.quarkus.security.UnauthorizedException e -> problems.answer(context, unauthorized(), "WWW-Authenticate",
                    ApiKeyMechanism.CHALLENGE);
            case ForbiddenException e -> problems.answer(context, Problem.of("forbidden", "Forbidden",
                    403, "This needs an admin's API key or token."));
            case null, default -> context.next();
        }
    }

    static Problem unauthorized() {
        return Problem.of("unauthorized", "Unauthorized", 401,
                "Name yourself with a bearer token or an X-API-Key header; the one sent (if any) was not accepted.");
    }

}
