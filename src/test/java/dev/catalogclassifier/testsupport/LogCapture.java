package dev.catalogclassifier.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the service logs at ERROR (or WARN) while a test runs: to prove bad input is not an error of ours,
 * or that the event loop was never reported blocked.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    private final Level least;

    private LogCapture(Level least) {
        this.least = least;
    }

    public static LogCapture errors() {
        return atLeast(Level.SEVERE);
    }

    public static LogCapture warnings() {
        return atLeast(Level.WARNING);
    }

    private static LogCapture atLeast(Level level) {
        LogCapture capture = new LogCapture(level);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= least.intValue()) {
            errors.add(record);
        }
    }

    public List<String> messages() {
        return errors.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
    }

    /** What the console shows of them, through the filter the service configures on its console handler. */
    public List<String> shown(java.util.logging.Filter console) {
        return errors.stream().filter(console::isLoggable).map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
