package dev.tern.exec.internal.stderr;

import dev.tern.exec.internal.OrtLogLevel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs ONNX Runtime's entries to the SLF4J logger {@value OrtLogLevel#LOGGER_NAME} on a thread
 * of its own, so that the thread draining the standard error pipe never waits for a logging
 * backend. A backend may write to file descriptor 2 itself (a stream it took before the pipe
 * replaced it: {@code java.util.logging}'s {@code ConsoleHandler}, slf4j-simple's
 * {@code cacheOutputStream}); those writes go into the pipe, and were the drainer the one
 * writing, it would wait on a full pipe only it can empty. The queue is unbounded for that
 * reason: bounded, a full queue would stop the drainer the same way.
 */
final class OrtLogForwarder implements Consumer<OrtLogRecord> {
    /** Put after the last entry: nothing follows. */
    private static final OrtLogRecord END = new OrtLogRecord(null, "");

    private final Logger logger = LoggerFactory.getLogger(OrtLogLevel.LOGGER_NAME);
    private final BlockingQueue<OrtLogRecord> queue = new LinkedBlockingQueue<>();
    private final Thread thread = new Thread(this::logUntilEnd, "tern-ort-log");

    OrtLogForwarder() {
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void accept(OrtLogRecord entry) {
        queue.add(entry);
    }

    /** Ends the thread once the entries queued so far are logged. */
    void end() {
        queue.add(END);
    }

    /** Waits up to {@code millis} for the entries queued before {@link #end()} to be logged. */
    void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
    }

    private void logUntilEnd() {
        try {
            for (OrtLogRecord entry = queue.take(); entry != END; entry = queue.take()) {
                logger.atLevel(entry.level()).log(entry.message());
            }
        } catch (InterruptedException e) {
            // Only the JVM's end interrupts a daemon thread; nothing is left to do.
        }
    }
}
