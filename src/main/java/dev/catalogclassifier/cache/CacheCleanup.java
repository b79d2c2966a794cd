package dev.catalogclassifier.cache;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.database.Database;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Removes stored answers older than {@code classifier.cache.retention}, once an hour. */
@ApplicationScoped
public class CacheCleanup {

    private final CacheConfig config;
    private final Database database;

    public CacheCleanup(CacheConfig config, Database database) {
        this.config = config;
        this.database = database;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> cleanUp() {
        if (!database.ready()) {
            return Uni.createFrom().voidItem();
        }
        return removeOlderThan(Instant.now().minus(config.retention()))
                .onFailure().invoke(e -> Log.warnf("Result cache cleanup skipped: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<Long> removeOlderThan(Instant cutoff) {
        return Panache.withTransaction(() -> CachedAnswer.delete("createdAt < ?1", cutoff));
    }
}
