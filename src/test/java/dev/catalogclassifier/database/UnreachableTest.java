package dev.catalogclassifier.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/** A database that cannot be reached is told by the failure's type and SQLState, not by its message. */
class UnreachableTest {

    @Test
    void connectionFailuresAndServerShutdownStatesAreUnreachable() {
        assertThat(Database.unreachable(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(Database.unreachable(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(Database.unreachable(new PgException("terminating connection due to administrator command", "FATAL",
                "57P01", null))).isTrue();
        assertThat(Database.unreachable(new PgException("the database system is starting up", "FATAL", "57P03", null)))
                .isTrue();
        assertThat(Database.unreachable(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
    }

    @Test
    void otherFailuresAreNotEvenWhenTheirMessageSaysSo() {
        assertThat(Database.unreachable(new IllegalStateException("Connection refused"))).isFalse();
        assertThat(Database.unreachable(new PgException("duplicate key value violates unique constraint", "ERROR",
                "23505", null))).isFalse();
        assertThat(Database.unreachable(new PgException("relation \"job\" does not exist", "ERROR", "42P01", null))).isFalse();
    }
}
