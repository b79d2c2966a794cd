package dev.catalogclassifier.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** What the sessions of the service's database pool run with. */
@QuarkusTest
class DatabaseSessionTest {

    @Inject
    Pool pool;

    /**
     * A cached statement's generic plan, made while a job's rows were new and not analysed, scanned the whole table
     * at every run of items; the pool's sessions plan each execution with its values instead.
     */
    @Test
    void everySessionPlansEachExecutionWithItsValues() throws InterruptedException {
        String mode = Blocking.await(() -> pool.query("SHOW plan_cache_mode").execute()
                .map(rows -> rows.iterator().next().getString(0)));
        assertThat(mode).as("plan_cache_mode of a pool session").isEqualTo("force_custom_plan");
    }
}
