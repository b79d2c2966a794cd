package dev.catalogclassifier.problem;

import java.io.IOException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops Quarkus REST's ERROR for an event stream whose client has gone ("Exception in SSE server handling,
 * impossible to send it to client" with a Broken pipe or a reset): a closed browser tab is no error of ours, and
 * each one logged an 80-line stack trace. Only that logger's I/O failures are dropped; anything else it logs stays.
 */
@LoggingFilter(name = "client-gone")
public final class ClientGoneFilter implements Filter {

    static final String SSE_HANDLER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(SSE_HANDLER.equals(record.getLoggerName()) && ioFailure(record.getThrown()));
    }

    private static boolean ioFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
