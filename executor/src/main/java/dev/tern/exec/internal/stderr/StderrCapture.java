package dev.tern.exec.internal.stderr;

import dev.tern.exec.internal.OrtLogLevel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes ONNX Runtime's own log into SLF4J. ONNX Runtime 1.29's Java API has no logging
 * callback: its default sink writes each entry to the process's standard error (file descriptor
 * 2), warnings and errors in ANSI colours. So, once per process and before the first ONNX
 * Runtime environment exists, descriptor 2 becomes a pipe that a daemon thread drains: lines in
 * ONNX Runtime's log format lose their escape codes and go to the logger
 * {@value OrtLogLevel#LOGGER_NAME} at their level (verbose TRACE, info DEBUG, warning WARN, error
 * and fatal ERROR); every other byte goes on, unchanged, to the real standard error. At the end
 * of the JVM a shutdown hook puts the real standard error back and waits briefly for the pipe to
 * be drained, a last line without its line feed included.
 *
 * <p>Setting the system property {@value #PROPERTY} to {@code false} leaves descriptor 2 alone,
 * for applications that manage it themselves. On Windows, or where JNA or the C library cannot be
 * loaded, it is left alone too, with one DEBUG line from this class's logger.
 *
 * <p>What changes for the process: whatever else writes to descriptor 2 (System.err, the JVM,
 * other native libraries) passes through the pipe and its thread. A JVM that dies at once (a
 * crash, SIGKILL) loses what the thread had not yet passed on, which may include the first lines
 * of a crash report; the report file ({@code hs_err_pid*.log}) is written all the same. Child
 * processes that inherit standard error write into the pipe as well.
 */
public final class StderrCapture {
    /** The system property that, set to {@code false}, turns the capture off. */
    public static final String PROPERTY = "tern.ort.log.capture";

    private static final Logger LOG = LoggerFactory.getLogger(StderrCapture.class);
    /**
     * How long the JVM's end waits at most for the pipe to be drained and its entries logged.
     * Usually that takes milliseconds; the wait runs long only on a starved machine, or when a
     * child process that inherited standard error still holds the pipe open.
     */
    private static final long DRAIN_AT_EXIT_MILLIS = 10_000;
    private static boolean attempted;

    private StderrCapture() {
    }

    /**
     * Starts the capture unless it was already tried in this process (by this class loader),
     * turned off by {@value #PROPERTY}, or unavailable on this platform. Never throws: failing,
     * it leaves standard error as it was and logs why at DEBUG.
     */
    public static synchronized void startOnce() {
        if (attempted) {
            return;
        }
        attempted = true;
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            LOG.debug("ONNX Runtime's log goes to standard error as it is: {}=false", PROPERTY);
            return;
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            LOG.debug("ONNX Runtime's log goes to standard error as it is: capturing it needs POSIX"
                    + " file descriptors, and this is {}", System.getProperty("os.name"));
            return;
        }
        try {
            StderrPipe pipe = StderrPipe.start();
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(pipe), "tern-stderr-restore"));
            } catch (IllegalStateException e) {
                // The JVM is already ending: nothing would put the real standard error back.
                stopQuietly(pipe);
                throw e;
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("ONNX Runtime's log goes to standard error as it is: cannot redirect file descriptor 2"
                    + " ({})", e.toString());
        }
    }

    private static void stopQuietly(StderrPipe pipe) {
        try {
            pipe.stop(DRAIN_AT_EXIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
