package dev.catalogclassifier.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The cache's lookup is planned for the keys it is given, every time. PostgreSQL gives a statement kept prepared on a
 * connection a generic plan after five runs, and one made while the cache was nearly empty stays a sequential scan
 * as the cache grows: on a 100,000-item job every lookup read the whole table (39-49 ms a call, against 0.3 ms).
 * Asked on one connection the way the service asks it, more than five times, the lookup must never have run on a
 * generic plan ({@code pg_prepared_statements.generic_plans}, PostgreSQL 14 and later).
 */
@QuarkusTest
class CacheLookupPlanTest {

    @Inject
    Pool pool;

    @Test
    void theLookupIsNeverRunOnAGenericPlan() {
        long genericPlans = pool.withConnection(connection -> lookups(connection, 8)
                .chain(() -> connection.query("""
                        SELECT coalesce(sum(generic_plans), 0) AS n FROM pg_prepared_statements
                        WHERE statement LIKE '%FROM classification_cache WHERE key%'""").execute())
                .map(rows -> rows.iterator().next().getLong("n")))
                .await().atMost(Duration.ofSeconds(60));
        assertThat(genericPlans).as("runs of the cache's lookup on a generic plan, on the connection that asked it")
                .isZero();
    }

    private static Uni<Void> lookups(SqlConnection connection, int times) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < times; i++) {
            String[] keys = {"%064d".formatted(i), "f".repeat(64)};
            chain = chain.chain(() -> connection.preparedQuery(ResultCache.LOOKUP).execute(Tuple.of(keys)).replaceWithVoid());
        }
        return chain;
    }
}
