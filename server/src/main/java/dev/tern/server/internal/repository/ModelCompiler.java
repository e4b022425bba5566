package dev.tern.server.internal.repository;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.SessionConfig;
import java.nio.file.Path;

/** Compiles one instance of a model file: {@link dev.tern.exec.Runtime#open(Path, SessionConfig)} in a server. */
@FunctionalInterface
public interface ModelCompiler {
    /**
     * A new compiled instance of {@code file}, owned by the caller.
     *
     * @throws dev.tern.ir.TernException if the model cannot be compiled
     */
    CompiledModel open(Path file, SessionConfig config);
}
