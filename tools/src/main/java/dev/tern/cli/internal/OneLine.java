package dev.tern.cli.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns exceptions into single-line reasons, since every error tern prints is one line. */
final class OneLine {
    private OneLine() {
    }

    /** The exception's message on one line, or its class name when it has no message. */
    static String of(Throwable error) {
        if (error instanceof FileSystemException fileError) {
            // Their message is often the bare path ("out/x.onnx"), which explains nothing.
            return fileError.getFile() + ": " + fileSystemReason(fileError);
        }
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        return collapse(message);
    }

    /** {@code text} with each run of line breaks (and the blanks around it) replaced by "; ". */
    static String collapse(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String fileSystemReason(FileSystemException error) {
        if (error.getReason() != null) {
            return collapse(error.getReason());
        }
        if (error instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (error instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (error instanceof NotDirectoryException) {
            return "not a directory";
        }
        return error.getClass().getSimpleName();
    }
}
