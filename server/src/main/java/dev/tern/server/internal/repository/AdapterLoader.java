package dev.tern.server.internal.repository;

import dev.tern.exec.Adapter;
import java.nio.file.Path;

/** Loads one LoRA adapter file for runs: {@link dev.tern.exec.Runtime#loadAdapter(Path)} in a server. */
@FunctionalInterface
public interface AdapterLoader {
    /**
     * The adapter in {@code file}, owned by the caller.
     *
     * @throws dev.tern.ir.TernException if the file is no adapter or ONNX Runtime cannot load it
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    Adapter load(Path file);
}
