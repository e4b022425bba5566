package dev.tern.train.internal;

import dev.tern.exec.NativeTensor;
import dev.tern.ir.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-step scalar inputs of one compiled update ({@link UpdateScalar}): native scalars made
 * once and overwritten before each run, so a step allocates no tensor for them. Used by one
 * step at a time. Owns its tensors.
 */
final class UpdateScalars implements AutoCloseable {
    private final List<UpdateScalar> scalars;
    private final List<NativeTensor> tensors = new ArrayList<>();

    UpdateScalars(UpdateSignature update) {
        this.scalars = update.scalars();
        try {
            for (UpdateScalar scalar : scalars) {
                tensors.add(NativeTensor.copyOf(Tensor.zeros(scalar.input(), scalar.type())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Sets every scalar for step {@code steps} (0-based) at learning rate {@code rate} and puts them into {@code feed}. */
    void feed(Map<String, NativeTensor> feed, long steps, double rate) {
        for (int i = 0; i < scalars.size(); i++) {
            UpdateScalar scalar = scalars.get(i);
            NativeTensor tensor = tensors.get(i);
            tensor.fill(scalar.value().at(rate, steps + 1));
            feed.put(scalar.input(), tensor);
        }
    }

    @Override
    public void close() {
        tensors.forEach(NativeTensor::close);
    }
}
