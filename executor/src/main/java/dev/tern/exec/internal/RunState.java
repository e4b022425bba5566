package dev.tern.exec.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The native tensors one run of a model needs, kept for the next run so that a caller who
 * runs the same inputs or the same shapes again pays for no native allocation:
 * <ul>
 *   <li>the ONNX Runtime wrapper of each input, kept while the caller feeds the same
 *       {@link Tensor} object again. Only fixed-width tensors over direct buffers are kept:
 *       ONNX Runtime reads those buffers in place, so a kept wrapper reads exactly what a new
 *       one would. Other inputs are wrapped (copied) for one run and released after it;
 *   <li>preallocated output tensors ({@link OutputPins}), from the second run with input shapes
 *       seen before, kept for several input shapes at once so that varying batch sizes keep
 *       them too. Output shapes are learned from an ordinary run, never guessed; if ONNX
 *       Runtime still refuses them (a shape that depends on the data), the caller runs again
 *       without them.
 * </ul>
 *
 * <p>Not thread-safe: one run at a time uses a state ({@link RunStatePool} hands each run its
 * own). Keeps the last tensors fed reachable until they are replaced or the state is closed.
 */
public final class RunState implements AutoCloseable {
    /** Size of the direct blocks small output copies are carved from. */
    static final int BLOCK_BYTES = 64 << 10;
    /** Outputs up to this size are carved from a block; larger ones get a buffer of their own. */
    static final int MAX_CARVED_BYTES = 4 << 10;
    /** Carved copies start on 16-byte boundaries. */
    private static final int ALIGNMENT = 16;

    private final OrtEnvironment env;
    private final String model;
    private final String[] inputNames;
    private final String[] outputNames;
    /** Null when some output cannot be pinned. */
    private final OutputPins pins;

    /** The tensor each wrapper reads, or null where the wrapper is for one run only. */
    private final Tensor[] fedTensors;
    private final OnnxTensor[] wrappers;
    private final long[][] fedDims;
    private final Map<String, OnnxTensor> feed;

    /** The block output copies are being carved from, and where its free part starts. */
    private ByteBuffer block;
    private int blockUsed;
    private boolean closed;

    /**
     * @param outputTypes the element type of every output, or null when some output is not a
     *     tensor of a fixed-width type ONNX Runtime's Java API can create: then outputs are
     *     never pinned
     */
    public RunState(OrtEnvironment env, String model, String[] inputNames, String[] outputNames,
                    ElementType[] outputTypes) {
        this.env = env;
        this.model = model;
        this.inputNames = inputNames;
        this.outputNames = outputNames;
        this.pins = outputTypes == null ? null : new OutputPins(env, outputNames, outputTypes, javaTypes(outputTypes));
        this.fedTensors = new Tensor[inputNames.length];
        this.wrappers = new OnnxTensor[inputNames.length];
        this.fedDims = new long[inputNames.length][];
        this.feed = new HashMap<>(inputNames.length * 2);
    }

    /**
     * ONNX Runtime tensors over {@code inputs} (in the model's input order; checked already),
     * reusing the wrappers of tensors fed before. Valid until {@link #endRun()}.
     *
     * @param dims each input's dims
     * @throws dev.tern.exec.InvalidInputException if ONNX Runtime cannot create an input's element type
     */
    public Map<String, OnnxTensor> feed(Tensor[] inputs, long[][] dims) throws OrtException {
        boolean reshaped = false;
        for (int i = 0; i < inputs.length; i++) {
            Tensor tensor = inputs[i];
            if (tensor == fedTensors[i] && wrappers[i] != null) {
                continue;
            }
            if (!Arrays.equals(dims[i], fedDims[i])) {
                fedDims[i] = dims[i];
                reshaped = true;
            }
            release(i);
            OnnxTensor wrapper = TensorBridge.toOrt(env, tensor, "model '" + model + "': input '" + inputNames[i] + "'");
            wrappers[i] = wrapper;
            fedTensors[i] = TensorBridge.sharesData(tensor) ? tensor : null;
            feed.put(inputNames[i], wrapper);
        }
        if (reshaped && pins != null) {
            pins.select(fedDims);
        }
        return feed;
    }

    /** Releases the wrappers made for this run only. */
    public void endRun() {
        for (int i = 0; i < wrappers.length; i++) {
            if (fedTensors[i] == null) {
                release(i);
            }
        }
    }

    /**
     * Output tensors for this run to write into, or null when the outputs of the current input
     * shapes are not known yet (or cannot be pinned). Allocates them on the second run with
     * input shapes seen before.
     */
    public Map<String, OnnxTensor> pinnedOutputs() throws OrtException {
        return pins == null ? null : pins.forCurrentShapes();
    }

    /** Records the output shapes of an ordinary (unpinned) run of the current inputs. */
    public void learn(OrtSession.Result result) throws OrtException {
        if (pins == null || pins.knowsCurrentShapes()) {
            return;
        }
        long[][] dims = new long[outputNames.length][];
        for (int i = 0; i < dims.length; i++) {
            OnnxValue value = result.get(outputNames[i]).orElse(null);
            if (!(value instanceof OnnxTensor tensor)) {
                return;
            }
            dims[i] = tensor.getInfo().getShape();
        }
        learnShapes(dims);
    }

    /** Records the output dims of the current input shapes, unless an output is too large to pin. */
    void learnShapes(long[][] dims) {
        pins.learn(dims);
    }

    /** Copies of the pinned outputs, in new buffers the caller owns, by output name in model order. */
    public Tensor[] copyPinned() {
        return pins.copyCurrent(this::newBuffer);
    }

    public String[] outputNames() {
        return outputNames;
    }

    /** Forgets every learned output shape and releases the pinned outputs (ONNX Runtime refused them). */
    public void forgetOutputs() {
        if (pins != null) {
            pins.forgetAll();
        }
    }

    /** Releases every native tensor held. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < wrappers.length; i++) {
            release(i);
        }
        forgetOutputs();
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether this state holds no native tensor (for tests). */
    boolean isEmpty() {
        for (OnnxTensor wrapper : wrappers) {
            if (wrapper != null) {
                return false;
            }
        }
        return pins == null || pins.isEmpty();
    }

    private void release(int input) {
        OnnxTensor wrapper = wrappers[input];
        if (wrapper != null) {
            wrappers[input] = null;
            fedTensors[input] = null;
            feed.remove(inputNames[input]);
            wrapper.close();
        }
    }

    /**
     * A new direct little-endian buffer of {@code bytes} for the caller to own. A small one is
     * a slice of a shared block, which saves the cost of a direct allocation (several hundred
     * nanoseconds, more than a small model's run gains from everything else): no two slices
     * overlap, and the block is freed when no slice of it is reachable any more.
     */
    ByteBuffer newBuffer(int bytes) {
        if (bytes > MAX_CARVED_BYTES) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (block == null || BLOCK_BYTES - blockUsed < bytes) {
            block = ByteBuffer.allocateDirect(BLOCK_BYTES);
            blockUsed = 0;
        }
        ByteBuffer slice = block.slice(blockUsed, bytes).order(ByteOrder.LITTLE_ENDIAN);
        blockUsed = Math.min(BLOCK_BYTES, (blockUsed + bytes + ALIGNMENT - 1) & -ALIGNMENT);
        return slice;
    }

    private static OnnxJavaType[] javaTypes(ElementType[] types) {
        OnnxJavaType[] javaTypes = new OnnxJavaType[types.length];
        for (int i = 0; i < types.length; i++) {
            javaTypes[i] = ElementTypes.creatable(types[i], "output");
        }
        return javaTypes;
    }
}
