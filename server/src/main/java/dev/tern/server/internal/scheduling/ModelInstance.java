package dev.tern.server.internal.scheduling;

import dev.tern.exec.RunControl;
import dev.tern.ir.Tensor;
import java.util.Map;

/**
 * One compiled instance of a model version, as a batch worker sees it: something that runs a
 * batch. A {@link dev.tern.exec.CompiledModel} in the server; an interface so that the
 * scheduling can be tested with instances that block on a latch.
 */
@FunctionalInterface
public interface ModelInstance {
    /** Runs {@code inputs}, stopping at {@code control}'s deadline; throws what the executor throws. */
    Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control);
}
