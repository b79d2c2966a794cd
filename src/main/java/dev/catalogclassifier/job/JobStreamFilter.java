package dev.catalogclassifier.job;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.catalogclassifier.auth.Callers;
import dev.catalogclassifier.database.Database;
import io.smallrye.mutiny.Uni;

/**
 * Looks a job up before its event stream opens: a stream's 200 and headers go out with its first byte, so a job
 * that does not exist must be answered (404 problem, or 503 while the database is away) before the resource method
 * runs. Without this, an unknown job's stream opened and ended at once, and a browser's EventSource reconnected
 * forever.
 */
public class JobStreamFilter {

    private static final Pattern EVENTS = Pattern.compile("/api/v1/jobs/([0-9a-fA-F-]{36})/events/?");

    private final JobService jobs;
    private final Database database;
    private final Callers callers;

    /** Runs after the caller is known: another tenant's job is a 404 here too. */
    public JobStreamFilter(JobService jobs, Database database, Callers callers) {
        this.callers = callers;
        this.jobs = jobs;
        this.database = database;
    }

    /** Null lets the request go on; a failure is answered by the exception mappers. */
    @ServerRequestFilter
    public Uni<Response> jobMustExist(ContainerRequestContext request) {
        Matcher events = EVENTS.matcher(request.getUriInfo().getPath());
        if (!"GET".equals(request.getMethod()) || !events.matches()) {
            return Uni.createFrom().nullItem();
        }
        UUID id;
        try {
            id = UUID.fromString(events.group(1));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().nullItem(); // the resource answers a malformed id itself
        }
        return database.guard(jobs.find(id, callers.current())).replaceWith((Response) null);
    }
}
