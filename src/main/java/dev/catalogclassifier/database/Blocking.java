package dev.catalogclassifier.database;

import java.time.Duration;
import java.util.function.Supplier;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The one bridge from a blocking caller (a virtual thread, a scheduled job, a shutdown observer) to the reactive
 * database clients: the repositories' blocking methods and every other blocking wait on a database call in the
 * service go through it, and nothing else blocks on a {@link Uni}. The query runs on a Vert.x context, as Hibernate
 * Reactive requires.
 */
public final class Blocking {

    /** Far beyond any one statement of the service; bounds the wait for a database that has gone away. */
    public static final Duration DATABASE_WAIT = Duration.ofMinutes(1);

    private Blocking() {
    }

    /** {@link #await(Supplier, Duration)} within {@link #DATABASE_WAIT}. */
    public static <T> T await(Supplier<Uni<T>> query) throws InterruptedException {
        return await(query, DATABASE_WAIT);
    }

    /**
     * The query's result; a {@link io.smallrye.mutiny.TimeoutException} once {@code atMost} has passed without one,
     * and {@link InterruptedException} when the caller is interrupted (the service is stopping).
     */
    public static <T> T await(Supplier<Uni<T>> query, Duration atMost) throws InterruptedException {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> query.get().ifNoItem().after(atMost).fail());
        } catch (RuntimeException | Error | InterruptedException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
