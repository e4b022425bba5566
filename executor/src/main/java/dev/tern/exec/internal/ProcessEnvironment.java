package dev.tern.exec.internal;

import ai.onnxruntime.OrtEnvironment;
import dev.tern.exec.internal.stderr.StderrCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide ONNX Runtime environment, created on a thread of its own whose stack is
 * sized to the process's command line. Every use of ONNX Runtime in the executor goes through
 * {@link #get()}, so whichever comes first creates the environment this way.
 *
 * <p>Why: on Linux, ONNX Runtime (1.29) starts its telemetry client, Microsoft's 1DS SDK, while
 * it creates its first environment, and that SDK finds the application's name with a
 * {@code std::regex} search over the whole of {@code /proc/self/cmdline}. libstdc++'s regex
 * matcher recurses for every character (about 256 bytes of stack each on x86-64, measured), so
 * a command line of about 4 KB (a long class path, a long {@code -D} property) overflows the
 * 1 MB stack of a default Java thread. The overflow runs past the JVM's guard pages inside
 * native code, and the JVM dies with SIGSEGV and no hs_err file. The SDK keeps what it read and
 * the environment lives as long as the process, so only this first call needs the deep stack.
 *
 * <p>Before the environment exists, {@link StderrCapture} starts routing ONNX Runtime's log
 * into SLF4J.
 */
public final class ProcessEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessEnvironment.class);
    /** Stack for creating the environment apart from the search: a native program's usual main-thread stack. */
    private static final long BASE_STACK_BYTES = 8L << 20;
    /** Stack per byte of command line: four times the 256 bytes measured, for other builds and architectures. */
    private static final long STACK_BYTES_PER_COMMAND_LINE_BYTE = 1024;
    private static final Path COMMAND_LINE = Path.of("/proc/self/cmdline");
    private static volatile OrtEnvironment environment;

    private ProcessEnvironment() {
    }

    /**
     * The process-wide environment (ONNX Runtime logs warnings and errors), created on first use.
     *
     * @throws IllegalStateException if ONNX Runtime cannot create its environment
     * @throws UnsatisfiedLinkError if ONNX Runtime's native library cannot be loaded
     */
    public static OrtEnvironment get() {
        OrtEnvironment existing = environment;
        if (existing != null) {
            return existing;
        }
        synchronized (ProcessEnvironment.class) {
            if (environment == null) {
                environment = createOnDeepStack();
            }
            return environment;
        }
    }

    /** The stack the environment's creation needs when the process's command line is {@code commandLineBytes} long. */
    private static long stackBytes(long commandLineBytes) {
        return BASE_STACK_BYTES + STACK_BYTES_PER_COMMAND_LINE_BYTE * commandLineBytes;
    }

    private static OrtEnvironment createOnDeepStack() {
        // Before ONNX Runtime writes anything: its log goes to descriptor 2 from the environment's creation on.
        StderrCapture.startOnce();
        long commandLine = commandLineBytes();
        long stack = stackBytes(commandLine);
        LOG.debug("creating ONNX Runtime's environment on a thread with {} MiB of stack (command line: {} bytes)",
                stack >> 20, commandLine);
        FutureTask<OrtEnvironment> creation = new FutureTask<>(
                () -> OrtEnvironment.getEnvironment(OrtLogLevel.current(), OrtEnvironment.DEFAULT_NAME));
        Thread thread = new Thread(null, creation, "tern-ort-environment", stack);
        thread.setDaemon(true);
        thread.start();
        return awaitUninterruptibly(creation);
    }

    /** Native creation cannot be abandoned halfway, so an interrupt is kept for the caller, not acted on. */
    private static OrtEnvironment awaitUninterruptibly(FutureTask<OrtEnvironment> creation) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return creation.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("ONNX Runtime could not create its environment", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The length of {@code /proc/self/cmdline}, which only Linux has; elsewhere ONNX Runtime does not read it: 0. */
    private static long commandLineBytes() {
        try {
            return Files.readAllBytes(COMMAND_LINE).length;
        } catch (IOException e) {
            return 0;
        }
    }
}
