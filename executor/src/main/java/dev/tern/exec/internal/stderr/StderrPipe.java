package dev.tern.exec.internal.stderr;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File descriptor 2 turned into the write end of a pipe, which a daemon thread drains through a
 * {@link StderrRouter}: ONNX Runtime's entries to an {@link OrtLogForwarder}, everything else to
 * a duplicate of the real standard error taken before. Every way it ends (the end of the JVM,
 * a failed read or write) puts the real standard error back on descriptor 2 first, so nothing is
 * ever left writing into a pipe no one drains.
 */
final class StderrPipe {
    private static final Logger LOG = LoggerFactory.getLogger(StderrPipe.class);
    private static final int STDERR = 2;
    private static final int READ_BUFFER_BYTES = 1 << 16;

    private final LibC libc;
    private final int readEnd;
    private final int realStderr;
    private final OrtLogForwarder forwarder = new OrtLogForwarder();
    private final Thread drainer = new Thread(this::drainUntilEnd, "tern-stderr-drain");
    private boolean restored;

    private StderrPipe(LibC libc, int readEnd, int realStderr) {
        this.libc = libc;
        this.readEnd = readEnd;
        this.realStderr = realStderr;
        drainer.setDaemon(true);
    }

    /**
     * Points descriptor 2 at a new pipe and starts draining it.
     *
     * @throws LastErrorException if a descriptor cannot be created or moved; descriptor 2 is
     *     then as it was
     * @throws LinkageError if JNA or the C library cannot be loaded
     */
    static StderrPipe start() {
        LibC libc = LibC.load();
        int[] pipe = new int[2];
        libc.pipe(pipe);
        int realStderr = -1;
        try {
            realStderr = libc.dup(STDERR);
            // Child processes inherit descriptor 2 (the pipe, through dup2), not these.
            for (int fd : new int[] {pipe[0], pipe[1], realStderr}) {
                libc.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC);
            }
            libc.dup2(pipe[1], STDERR);
        } catch (RuntimeException e) {
            closeQuietly(libc, pipe[0], pipe[1], realStderr);
            throw e;
        }
        // Descriptor 2 is now the only write end: the drainer sees the end of input once it is restored.
        closeQuietly(libc, pipe[1]);
        StderrPipe captured = new StderrPipe(libc, pipe[0], realStderr);
        captured.forwarder.start();
        captured.drainer.start();
        return captured;
    }

    /**
     * Puts the real standard error back on descriptor 2, then waits up to {@code millis} for
     * what was written before to be routed: the pipe drained (a last line without its line feed
     * included) and its ONNX Runtime entries logged.
     */
    void stop(long millis) throws InterruptedException {
        restore();
        long deadline = System.nanoTime() + millis * 1_000_000;
        drainer.join(millis);
        forwarder.awaitEnd(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }

    private synchronized void restore() {
        if (!restored) {
            restored = true;
            libc.dup2(realStderr, STDERR);
        }
    }

    private void drainUntilEnd() {
        StderrRouter router = new StderrRouter(new DescriptorOutputStream(libc, realStderr), forwarder);
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        Exception failure = null;
        try {
            for (int read = read(buffer); read > 0; read = read(buffer)) {
                router.accept(buffer, read);
            }
            router.finish();
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            restore();
            forwarder.end();
            closeQuietly(libc, readEnd, realStderr);
        }
        if (failure != null) {
            // Only now: a logger writing to descriptor 2 before the restore would fill the pipe for good.
            LOG.warn("stopped routing standard error and ONNX Runtime's log; both go to standard error"
                    + " unchanged from now on", failure);
        }
    }

    /** Reads from the pipe: the byte count, 0 at the end of input. */
    private int read(byte[] buffer) {
        while (true) {
            try {
                return libc.read(readEnd, buffer, new NativeLong(buffer.length)).intValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw e;
                }
            }
        }
    }

    private static void closeQuietly(LibC libc, int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                try {
                    libc.close(fd);
                } catch (LastErrorException e) {
                    // Nothing depends on it: the descriptor is not used again either way.
                }
            }
        }
    }
}
