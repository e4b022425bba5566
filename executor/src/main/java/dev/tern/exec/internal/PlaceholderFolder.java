package dev.tern.exec.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary folder holding one empty file, for models whose weights ONNX Runtime receives
 * in memory. Such a model is serialized with its initializers marked as external data, and
 * ONNX Runtime checks that the external file exists in the configured folder (only that: it
 * never reads it, since every such initializer is supplied through {@code addInitializer}).
 */
public final class PlaceholderFolder implements AutoCloseable {
    /** The name the serialized models' external references point at. */
    public static final String FILE_NAME = "weights-in-memory.bin";

    private final Path folder;
    private boolean closed;

    private PlaceholderFolder(Path folder) {
        this.folder = folder;
    }

    /** Creates the folder and its file. */
    public static PlaceholderFolder create() {
        try {
            Path folder = Files.createTempDirectory("tern-exec-");
            Files.createFile(folder.resolve(FILE_NAME));
            return new PlaceholderFolder(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the executor's temporary folder", e);
        }
    }

    public Path path() {
        return folder;
    }

    /** Deletes the file and the folder; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(folder.resolve(FILE_NAME));
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the executor's temporary folder " + folder, e);
        }
    }
}
