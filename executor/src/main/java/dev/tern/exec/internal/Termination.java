package dev.tern.exec.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;

/**
 * The run options of one run that needs them (for a limit or an adapter), and whether
 * something stopped it. {@link #stop} may be
 * called from any thread (a deadline timer, a cancelling caller) at any time, even after the
 * run finished: it is ignored once the options are closed, so it never touches freed memory.
 */
public final class Termination implements AutoCloseable {
    private final RunOptions options;
    private boolean closed;
    private boolean stopped;
    private boolean byDeadline;

    public Termination() throws OrtException {
        this.options = new RunOptions();
    }

    /** The options to pass to the run; valid until {@link #close()}. */
    public RunOptions options() {
        return options;
    }

    /** Asks ONNX Runtime to stop the run at the next operator boundary. The first reason wins. */
    public synchronized void stop(boolean deadline) {
        if (closed || stopped) {
            return;
        }
        stopped = true;
        byDeadline = deadline;
        try {
            options.setTerminate(true);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime refused to terminate a run", e);
        }
    }

    public synchronized boolean stopped() {
        return stopped;
    }

    public synchronized boolean byDeadline() {
        return byDeadline;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            options.close();
        }
    }
}
