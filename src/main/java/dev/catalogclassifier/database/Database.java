package dev.catalogclassifier.database;

import java.net.ConnectException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

import dev.catalogclassifier.problem.ProblemException;
import dev.catalogclassifier.problem.ServiceUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The jobs' database, as far as availability goes. Migrations run in the background and are retried until
 * the database answers, so the service starts, and the streaming API works, while it is away; until then,
 * and whenever a query cannot reach it, job endpoints answer 503 and recover by themselves.
 */
@ApplicationScoped
public class Database {

    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

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

    private void migrate() {
        Duration wait = Duration.ofSeconds(1);
        while (!stopping) {
            try {
                flyway.get().migrate();
                markReady();
                return;
            } catch (RuntimeException e) {
                Log.warnf("Database not ready, database unreachable or migration failed (%s); retrying in %ds",
                        rootMessage(e), wait.toSeconds());
            }
            try {
                Thread.sleep(wait); // waiting for the database to come back; nothing to await
            } catch (InterruptedException e) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
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
