package dev.tern.onnx.logging;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.event.Level;

/**
 * What the code under test logged through SLF4J, as {@link RecordingLogProvider} keeps it. The
 * store is global, like SLF4J itself; the tests run one at a time.
 */
public final class RecordedLogs {
    /** One logged event, with its message formatted. */
    public record Event(Level level, String logger, String message) {
    }

    private static final List<Event> EVENTS = new ArrayList<>();

    private RecordedLogs() {
    }

    /** Runs {@code action} and returns the events it logged. */
    public static List<Event> during(ThrowingRunnable action) throws Exception {
        synchronized (EVENTS) {
            EVENTS.clear();
        }
        action.run();
        synchronized (EVENTS) {
            return List.copyOf(EVENTS);
        }
    }

    static void add(Event event) {
        synchronized (EVENTS) {
            EVENTS.add(event);
        }
    }

    /** An action that may throw, like most I/O the tests do. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
