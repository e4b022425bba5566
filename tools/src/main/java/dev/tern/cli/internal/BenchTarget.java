package dev.tern.cli.internal;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.ExecException;
import dev.tern.exec.IoSpec;
import dev.tern.exec.NativeTensor;
import dev.tern.exec.Outputs;
import dev.tern.exec.PinnedOutputs;
import dev.tern.exec.RunControl;
import dev.tern.ir.Dim;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.server.client.InferenceCall;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model and inputs a benchmark runs, and the fastest way the executor offers to run them:
 * {@link PinnedOutputs} (outputs written into buffers allocated once, nothing allocated per
 * run) when a probe run shows the output shapes follow from named dimensions; otherwise
 * {@link CompiledModel#runNative} on inputs wrapped once, releasing the outputs after each run.
 * The caller owns this object and closes it after every call it made.
 */
final class BenchTarget implements AutoCloseable {
    /** How each run reaches ONNX Runtime. */
    enum CallPath {
        PINNED_OUTPUTS("pinned outputs"),
        NATIVE("runNative");

        private final String description;

        CallPath(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private final CompiledModel model;
    private final RunControl control;
    private final Map<String, Tensor> inputs;
    private final Map<String, NativeTensor> wrapped;
    /** Sizes of the outputs' symbolic dimensions for pinning; null when outputs cannot be pinned. */
    private final Map<String, Long> outputSizes;

    private BenchTarget(CompiledModel model, RunControl control, Map<String, Tensor> inputs,
                        Map<String, NativeTensor> wrapped, Map<String, Long> outputSizes) {
        this.model = model;
        this.control = control;
        this.inputs = inputs;
        this.wrapped = wrapped;
        this.outputSizes = outputSizes;
    }

    /**
     * Wraps {@code inputs} once and runs the model on them once, which also checks them. Every
     * run goes under {@code control} (which applies an adapter, for one).
     *
     * @throws dev.tern.exec.InvalidInputException if the inputs do not match the model
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime fails the run
     */
    static BenchTarget prepare(CompiledModel model, Map<String, Tensor> inputs, RunControl control) {
        Map<String, NativeTensor> wrapped = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                wrapped.put(input.getKey(), NativeTensor.wrap(input.getValue()));
            }
            Map<String, Long> outputSizes;
            try (Outputs probe = model.runNative(wrapped, control)) {
                outputSizes = pinnableSizes(model, probe).orElse(null);
            }
            if (outputSizes != null && !canPin(model, outputSizes)) {
                outputSizes = null;
            }
            return new BenchTarget(model, control, inputs, wrapped, outputSizes);
        } catch (RuntimeException e) {
            wrapped.values().forEach(NativeTensor::close);
            throw e;
        }
    }

    CallPath path() {
        return outputSizes != null ? CallPath.PINNED_OUTPUTS : CallPath.NATIVE;
    }

    /** A call for one thread; pinned outputs are per call, since runs through them are serialized. */
    InferenceCall newCall() {
        if (outputSizes == null) {
            return new InferenceCall() {
                @Override
                public void run() {
                    model.runNative(wrapped, control).close();
                }

                @Override
                public void close() {
                    // Nothing of its own: the wrapped inputs belong to the target.
                }
            };
        }
        PinnedOutputs pinned = model.pinOutputs(outputSizes);
        return new InferenceCall() {
            @Override
            public void run() {
                pinned.run(inputs, control);
            }

            @Override
            public void close() {
                pinned.close();
            }
        };
    }

    @Override
    public void close() {
        wrapped.values().forEach(NativeTensor::close);
    }

    /**
     * The size of every symbolic output dimension as the probe run produced it, or empty when
     * an output is no tensor, has an unknown rank or dimension, or one symbol took two sizes.
     */
    private static Optional<Map<String, Long>> pinnableSizes(CompiledModel model, Outputs probe) {
        Map<String, Long> sizes = new HashMap<>();
        for (IoSpec output : model.outputs()) {
            if (!(output.type() instanceof ValueType.TensorType tensor) || !tensor.shape().isRankKnown()) {
                return Optional.empty();
            }
            Shape shape = tensor.shape();
            long[] actual = probe.tensor(output.name()).dims();
            for (int axis = 0; axis < shape.rank(); axis++) {
                Dim dim = shape.dim(axis);
                if (dim instanceof Dim.Unknown) {
                    return Optional.empty();
                }
                if (dim instanceof Dim.Symbolic symbolic) {
                    Long earlier = sizes.putIfAbsent(symbolic.name(), actual[axis]);
                    if (earlier != null && earlier != actual[axis]) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of(sizes);
    }

    /** Whether the executor pins these outputs; it refuses strings, for one. */
    private static boolean canPin(CompiledModel model, Map<String, Long> sizes) {
        try (PinnedOutputs trial = model.pinOutputs(sizes)) {
            return true;
        } catch (ExecException e) {
            return false;
        }
    }
}
