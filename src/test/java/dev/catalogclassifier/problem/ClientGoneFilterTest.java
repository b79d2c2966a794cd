package dev.catalogclassifier.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/** The console drops a stream's "impossible to send it to client" for a client that left, and nothing else. */
class ClientGoneFilterTest {

    private final ClientGoneFilter filter = new ClientGoneFilter();

    @Test
    void aBrokenPipeOnAnEventStreamIsDropped() {
        assertThat(filter.isLoggable(record(ClientGoneFilter.SSE_HANDLER, new IOException("Broken pipe")))).isFalse();
        assertThat(filter.isLoggable(record(ClientGoneFilter.SSE_HANDLER,
                new IllegalStateException(new IOException("Connection reset by peer"))))).isFalse();
    }

    @Test
    void anyOtherFailureIsShown() {
        assertThat(filter.isLoggable(record(ClientGoneFilter.SSE_HANDLER, new IllegalStateException("the database went away"))))
                .isTrue();
        assertThat(filter.isLoggable(record("dev.catalogclassifier.job.JobWorker", new IOException("Broken pipe")))).isTrue();
        assertThat(filter.isLoggable(record(ClientGoneFilter.SSE_HANDLER, null))).isTrue();
    }

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }
}
