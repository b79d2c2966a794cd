package dev.catalogclassifier.database;

import java.net.ConnectException;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import dev.catalogclassifier.problem.ProblemException;
import dev.catalogclassifier.problem.ServiceUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;

/**
 * The jobs' database, as far as availability goes. Migrations run in the background and are retried until
 * the database answers, so the service starts, and the streaming API works, while it is away; until then,
 * and whenever a query cannot reach it, job endpoints answer 503 and recover by themselves.
 */
@ApplicationScoped
public class Database {

    private static final long MAX_WAIT_S = 10;

    private final Instance<Flyway> flyway;
    private final Event<Ready> readyEvent;
    private final boolean migratedAtStart;
    private final boolean enabled;
    private volatile boolean ready;
    private volatile boolean stopping;
    private Thread migrator;

    /** Fired once the schema is up to date. */
    public record Ready() {
    }

    public Database(Instance<Flyway> flyway, Event<Ready> readyEvent,
            @ConfigProperty(name = "quarkus.flyway.migrate-at-start") boolean migratedAtStart,
            @ConfigProperty(name = "classifier.database.enabled", defaultValue = "true") boolean enabled) {
        this.flyway = flyway;
        this.readyEvent = readyEvent;
        this.migratedAtStart = migratedAtStart;
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent start) {
        if (!enabled) {
            return; // a command-line run (the folder command) needs no database: never ready, never retried
        }
        if (migratedAtStart) {
            markReady(); // dev and test: Quarkus migrated before start-up, or failed it
        } else {
            migrator = Thread.ofVirtual().name("schema-migrator").start(this::migrate);
        }
    }

    private void markReady() {
        ready = true;
        Log.info("Database ready: database schema is up to date");
        readyEvent.fireAsync(new Ready());
    }

    void stop(@Observes ShutdownEvent stop) {
        stopping = true;
        if (migrator != null) {
            migrator.interrupt();
        }
    }

    public boolean ready() {
        return ready;
    }

    /** Fails fast with 503 before the schema is there; turns an unreachable database into 503 too. */
    public <T> Uni<T> guard(Uni<T> work) {
        if (!ready) {
            return Uni.createFrom().failure(unavailable());
        }
        return work.onFailure(Database::unreachable).transform(e -> unavailable());
    }

    /**
     * Migrates, trying again until the database is there (1 s, doubling to {@value #MAX_WAIT_S} s apart) or the
     * service stops: a pod may start before its database.
     */
    private void migrate() {
        // built here, not once per class: the guard's exception filter reads this instance's stopping flag
        Guard untilMigrated = Guard.create().withDescription("schema-migration")
                .withRetry().maxRetries(-1).maxDuration(0, ChronoUnit.MILLIS).delay(1, ChronoUnit.SECONDS)
                .jitter(0, ChronoUnit.MILLIS).whenException(e -> e instanceof RuntimeException && !stopping)
                .beforeRetry(e -> Log.warnf("Database not ready, database unreachable or migration failed (%s); retrying",
                        rootMessage(e)))
                .withExponentialBackoff().factor(2).maxDelay(MAX_WAIT_S, ChronoUnit.SECONDS).done()
                .done().build();
        try {
            untilMigrated.call(() -> flyway.get().migrate(), MigrateResult.class);
            markReady();
        } catch (Exception e) {
            if (!stopping) {
                Log.errorf(e, "Schema migration stopped; the service stays unready");
            }
        }
    }

    /**
     * Whether a failure means the database cannot be reached, by type and SQLState, never by message text: a
     * refused or timed-out connection, one closed under us, or PostgreSQL saying it cannot serve us now.
     */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProblemException) {
                return false;
            }
            if (t instanceof ConnectException || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof java.nio.channels.ClosedChannelException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
            if (t instanceof io.vertx.sqlclient.DatabaseException db && unavailable(db.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLStates of a server that cannot serve us now: class 08 (connection exception), 57P01–57P03 (shut down by
     * an administrator, crash shutdown, cannot connect now) and 53300 (too many connections).
     */
    private static boolean unavailable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02")
                || sqlState.equals("57P03") || sqlState.equals("53300"));
    }

    private static ServiceUnavailableException unavailable() {
        return new ServiceUnavailableException("job-store-unavailable",
                "Jobs are unavailable: the database cannot be reached. The streaming API "
                        + "(POST /api/v1/classifications) still works; jobs come back once the database does.");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
