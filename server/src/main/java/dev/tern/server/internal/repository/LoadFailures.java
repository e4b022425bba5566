package dev.tern.server.internal.repository;

import dev.tern.ir.TernException;
import java.io.UncheckedIOException;

/** How a failure to load a model reads in the repository index and the log. */
final class LoadFailures {
    private LoadFailures() {
    }

    /**
     * The reason {@code failure} gives: the message of a Tern error or a rejected config, which
     * are written to be read alone; the exception's type before its message otherwise (an I/O
     * error's message may be only a path), or alone when there is no message.
     */
    static String reason(Exception failure) {
        if (failure instanceof UncheckedIOException unchecked) {
            return reason(unchecked.getCause());
        }
        String message = failure.getMessage();
        boolean selfExplaining = failure instanceof TernException || failure instanceof IllegalArgumentException;
        if (message == null || message.isBlank()) {
            return failure.getClass().getName();
        }
        return selfExplaining ? message : failure.getClass().getName() + ": " + message;
    }
}
