package dev.catalogclassifier.shutdown;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.catalogclassifier.problem.Problem;
import dev.catalogclassifier.problem.RouteProblems;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Whether this pod is stopping and refuses new work. On SIGTERM Quarkus turns readiness DOWN at once and waits
 * {@code quarkus.shutdown.delay} for the load balancer to notice; from then on every new {@code /api} request is
 * answered 503 (problem+json, {@code Connection: close}) while requests in flight, SSE streams included, finish
 * within {@code quarkus.shutdown.timeout}. Quarkus's own graceful shutdown only waits for requests in flight: it
 * keeps serving new ones until the timeout, which this gate stops. Health probes and {@code /q} stay answered.
 */
@ApplicationScoped
public class Draining {

    private final Duration delay;
    private volatile boolean stopping;
    private volatile long refuseFrom;

    public Draining(@ConfigProperty(name = "quarkus.shutdown.delay") java.util.Optional<Duration> delay) {
        this.delay = delay.orElse(Duration.ZERO);
    }

    /** SIGTERM: new work is refused once the delay has passed. */
    void delayStarted(@Observes ShutdownDelayInitiatedEvent event) {
        refuseFrom = System.nanoTime() + delay.toNanos();
        stopping = true;
        Log.infof("Stopping: readiness is down; new requests are refused in %d s, requests in flight may finish",
                delay.toSeconds());
    }

    /** The shutdown proper (after the delay and the drain): nothing new, whatever happened before. */
    void stopping(@Observes @Priority(0) ShutdownEvent event) {
        if (!stopping || !refusing()) {
            refuseFrom = System.nanoTime();
            stopping = true;
        }
    }

    /** Whether new work is refused now: the pod is stopping and the load balancer has had its delay. */
    public boolean refusing() {
        return stopping && System.nanoTime() - refuseFrom >= 0;
    }

    void gate(@Observes Router router, RouteProblems problems) {
        router.route("/api/*").order(Integer.MIN_VALUE).handler(context -> refuseIfStopping(context, problems));
    }

    private void refuseIfStopping(RoutingContext context, RouteProblems problems) {
        if (!refusing()) {
            context.next();
            return;
        }
        if (context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            context.response().putHeader("Connection", "close"); // HTTP/2 forbids the header; Quarkus sends GOAWAY there
        }
        problems.answer(context, Problem.of("stopping", "Service unavailable", 503,
                "This instance is stopping; send the request again and another instance will take it."),
                "Retry-After", "1");
    }
}
