package dev.tern.exec;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.tern.exec.internal.ElementTypes;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Output buffers allocated once, written in place by every run: for callers that run the same
 * shapes repeatedly and want no allocation per call. Made by {@link CompiledModel#pinOutputs}.
 *
 * <p>The tensors {@link #run} returns are read-only views of the pinned buffers: the next run
 * overwrites them, and {@link #close()} invalidates them. Runs through one {@code PinnedOutputs}
 * are serialized (they share the buffers); use one per thread for parallel runs. The caller
 * owns this object and closes it before the model.
 */
public final class PinnedOutputs implements AutoCloseable {
    private final CompiledModel model;
    private final Map<String, OnnxTensor> pinned;
    private final Map<String, Tensor> views;
    private boolean closed;

    private PinnedOutputs(CompiledModel model, Map<String, OnnxTensor> pinned, Map<String, Tensor> views) {
        this.model = model;
        this.pinned = pinned;
        this.views = Collections.unmodifiableMap(views);
    }

    static PinnedOutputs allocate(CompiledModel model, OrtEnvironment env, List<IoSpec> outputs,
                                  Map<String, Long> dimensions) {
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        Map<String, Tensor> views = new LinkedHashMap<>();
        try {
            for (IoSpec output : outputs) {
                ValueType.TensorType type = tensorType(model, output);
                OnnxJavaType javaType = ElementTypes.creatable(type.elementType(), "model '" + model.name()
                        + "': output '" + output.name() + "'");
                long[] dims = resolve(model, output.name(), type.shape(), dimensions);
                ByteBuffer buffer = allocate(model, output.name(), type.elementType(), dims);
                pinned.put(output.name(), OnnxTensor.createTensor(env, buffer, dims, javaType));
                views.put(output.name(), Tensor.of(output.name(), type.elementType(), dims, buffer));
            }
        } catch (OrtException e) {
            pinned.values().forEach(OnnxTensor::close);
            throw model.failed(e);
        } catch (RuntimeException e) {
            pinned.values().forEach(OnnxTensor::close);
            throw e;
        }
        return new PinnedOutputs(model, pinned, views);
    }

    /**
     * Runs the model, writing every output into its pinned buffer, and returns the views.
     *
     * @throws InvalidInputException for bad inputs, as {@link CompiledModel#run(Map)}
     * @throws ExecutionFailedException if ONNX Runtime fails, for example because an output's
     *     shape differs from the pinned one
     * @throws ClosedException if these outputs or the model are closed
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, RunControl.none());
    }

    /**
     * {@link #run(Map)} under a deadline and/or cancellation token, applying the control's adapter if any.
     *
     * @throws RunCancelledException if the run was cancelled or its deadline passed
     */
    public synchronized Map<String, Tensor> run(Map<String, Tensor> inputs, RunControl control) {
        requireOpen();
        Map<String, OnnxTensor> fed = model.feed(inputs);
        try {
            // The result holds only the pinned outputs, which it does not own: closing it frees nothing of ours.
            model.execute(fed, pinned, control).close();
            return views;
        } catch (OrtException e) {
            throw model.failed(e);
        } finally {
            fed.values().forEach(OnnxTensor::close);
        }
    }

    /** The views of the pinned buffers, as the last run left them (zeros before the first). */
    public Map<String, Tensor> outputs() {
        return views;
    }

    /** Releases the pinned buffers' native tensors; the views become invalid. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            pinned.values().forEach(OnnxTensor::close);
        }
    }

    private static ValueType.TensorType tensorType(CompiledModel model, IoSpec output) {
        if (output.type() instanceof ValueType.TensorType type && type.elementType().isFixedWidth()) {
            return type;
        }
        throw new ExecException("model '" + model.name() + "': output '" + output.name() + "' is " + output.type()
                + "; only fixed-width tensor outputs can be pinned");
    }

    private static long[] resolve(CompiledModel model, String output, Shape shape, Map<String, Long> dimensions) {
        if (!shape.isRankKnown()) {
            throw new ExecException("model '" + model.name() + "': output '" + output
                    + "' has unknown rank, so it cannot be pinned");
        }
        long[] dims = new long[shape.rank()];
        for (int axis = 0; axis < dims.length; axis++) {
            Dim dim = shape.dim(axis);
            if (dim instanceof Dim.Known known) {
                dims[axis] = known.size();
            } else if (dim instanceof Dim.Symbolic symbolic && dimensions.containsKey(symbolic.name())) {
                dims[axis] = dimensions.get(symbolic.name());
            } else {
                throw new ExecException("model '" + model.name() + "': output '" + output + "' " + shape
                        + " dimension " + axis + " is " + (dim instanceof Dim.Symbolic ? "'" + dim + "'" : "unknown")
                        + "; give its size in the dimensions map, found " + dimensions);
            }
        }
        return dims;
    }

    private static ByteBuffer allocate(CompiledModel model, String output, ElementType type, long[] dims) {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        long bytes = type.byteSize(count);
        if (bytes > Integer.MAX_VALUE) {
            throw new ExecException("model '" + model.name() + "': output '" + output + "' needs " + bytes
                    + " bytes, more than one buffer holds");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void requireOpen() {
        if (closed) {
            throw new ClosedException("pinned outputs of model '" + model.name() + "' are closed");
        }
    }
}
