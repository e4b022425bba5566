package dev.tern.exec.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The output tensors ONNX Runtime writes into, preallocated per set of input shapes: the
 * output shapes of each input shape set are learned from an ordinary run, and the tensors are
 * allocated on the next run with those input shapes. Several shape sets are kept, so that runs
 * whose batch size varies from one to the next (a server's dynamic batches) still write into
 * kept tensors: up to {@link #MAX_SHAPES} of them, and of the tensors of those not in use at
 * most {@link #RETAINED_BYTES}, the least recently used released first.
 *
 * <p>Not thread-safe: belongs to one {@link RunState}.
 */
final class OutputPins implements AutoCloseable {
    /** The most input shape sets whose output shapes (and tensors) are remembered. */
    static final int MAX_SHAPES = 32;
    /**
     * The most bytes of kept output tensors, besides those of the shapes in use. Small, since a
     * model keeps one set per concurrent run and since keeping saves most where outputs are
     * small: for a large output the run costs far more than allocating it.
     */
    static final long RETAINED_BYTES = 1L << 20;

    private final OrtEnvironment env;
    private final String[] outputNames;
    private final ElementType[] outputTypes;
    private final OnnxJavaType[] javaTypes;
    /** By input shapes, least recently used first. */
    private final LinkedHashMap<InputShapes, Pinned> byShapes = new LinkedHashMap<>(16, 0.75f, true);
    /** The input shapes of the coming runs; those of a model without inputs until told otherwise. */
    private InputShapes current = new InputShapes(new long[0][]);
    /** Bytes of the tensors allocated for all shape sets, the current one included. */
    private long allocatedBytes;

    OutputPins(OrtEnvironment env, String[] outputNames, ElementType[] outputTypes, OnnxJavaType[] javaTypes) {
        this.env = env;
        this.outputNames = outputNames;
        this.outputTypes = outputTypes;
        this.javaTypes = javaTypes;
    }

    /** The inputs of the coming runs have {@code inputDims} (the caller's arrays, which it no longer changes). */
    void select(long[][] inputDims) {
        current = new InputShapes(inputDims.clone());
    }

    /**
     * The tensors the current input shapes' outputs go to, allocated now if their shapes were
     * learned before; null when they were not.
     */
    Map<String, OnnxTensor> forCurrentShapes() throws OrtException {
        Pinned pinned = byShapes.get(current);
        if (pinned == null) {
            return null;
        }
        if (pinned.tensors == null) {
            pinned.allocate();
            allocatedBytes += pinned.bytes;
            releaseBeyondBounds();
        }
        return pinned.byName;
    }

    /** Whether the output shapes of the current input shapes are known. */
    boolean knowsCurrentShapes() {
        return byShapes.containsKey(current);
    }

    /** Records the output dims of the current input shapes, unless an output is too large to pin. */
    void learn(long[][] outputDims) {
        for (int i = 0; i < outputDims.length; i++) {
            if (outputTypes[i].byteSize(count(outputDims[i])) > Integer.MAX_VALUE) {
                return;
            }
        }
        byShapes.put(current, new Pinned(outputDims));
        releaseBeyondBounds();
    }

    /**
     * Copies of the outputs the last run of the current shapes wrote, in buffers from
     * {@code newBuffer} (given a size in bytes), by output name in model order.
     */
    Tensor[] copyCurrent(IntFunction<ByteBuffer> newBuffer) {
        Pinned pinned = byShapes.get(current);
        Tensor[] copies = new Tensor[outputNames.length];
        for (int i = 0; i < copies.length; i++) {
            ByteBuffer source = pinned.buffers[i];
            ByteBuffer copy = newBuffer.apply(source.capacity());
            copy.put(0, source, 0, source.capacity());
            copies[i] = Tensor.of(outputNames[i], outputTypes[i], pinned.dims[i], copy);
        }
        return copies;
    }

    /** Forgets every learned shape and releases every tensor (ONNX Runtime refused some). */
    void forgetAll() {
        byShapes.values().forEach(Pinned::release);
        byShapes.clear();
        allocatedBytes = 0;
    }

    /** Whether no tensor is held (for tests). */
    boolean isEmpty() {
        return byShapes.values().stream().allMatch(pinned -> pinned.tensors == null);
    }

    @Override
    public void close() {
        forgetAll();
    }

    /** Releases the least recently used shape sets, never the current one, until within both bounds. */
    private void releaseBeyondBounds() {
        // Looked up first: in this access-ordered map a lookup moves the entry, which would break the iteration.
        Pinned inUse = byShapes.get(current);
        long inUseBytes = inUse == null ? 0 : inUse.bytes;
        Iterator<Map.Entry<InputShapes, Pinned>> oldestFirst = byShapes.entrySet().iterator();
        while (oldestFirst.hasNext() && (byShapes.size() > MAX_SHAPES || allocatedBytes - inUseBytes > RETAINED_BYTES)) {
            Map.Entry<InputShapes, Pinned> entry = oldestFirst.next();
            if (entry.getValue() != inUse) {
                allocatedBytes -= entry.getValue().bytes;
                entry.getValue().release();
                oldestFirst.remove();
            }
        }
    }

    private static long count(long[] dims) {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    /** The dims of every input of a run, compared by value; looked up on every run, so its hash is kept. */
    private static final class InputShapes {
        private final long[][] dims;
        private final int hash;

        InputShapes(long[][] dims) {
            this.dims = dims;
            this.hash = Arrays.deepHashCode(dims);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof InputShapes shapes && hash == shapes.hash && Arrays.deepEquals(dims, shapes.dims);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The learned output dims of one input shape set, and the tensors once allocated. */
    private final class Pinned {
        final long[][] dims;
        OnnxTensor[] tensors;
        ByteBuffer[] buffers;
        Map<String, OnnxTensor> byName;
        long bytes;

        Pinned(long[][] dims) {
            this.dims = dims;
        }

        void allocate() throws OrtException {
            OnnxTensor[] made = new OnnxTensor[outputNames.length];
            ByteBuffer[] madeBuffers = new ByteBuffer[outputNames.length];
            Map<String, OnnxTensor> madeByName = new HashMap<>(outputNames.length * 2);
            long madeBytes = 0;
            try {
                for (int i = 0; i < made.length; i++) {
                    int size = (int) outputTypes[i].byteSize(count(dims[i]));
                    madeBuffers[i] = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
                    made[i] = OnnxTensor.createTensor(env, madeBuffers[i], dims[i], javaTypes[i]);
                    madeByName.put(outputNames[i], made[i]);
                    madeBytes += size;
                }
            } catch (OrtException | RuntimeException e) {
                closeAll(made);
                throw e;
            }
            tensors = made;
            buffers = madeBuffers;
            byName = madeByName;
            bytes = madeBytes;
        }

        void release() {
            if (tensors != null) {
                closeAll(tensors);
                tensors = null;
                buffers = null;
                byName = null;
            }
        }
    }

    private static void closeAll(OnnxTensor[] tensors) {
        for (OnnxTensor tensor : tensors) {
            if (tensor != null) {
                tensor.close();
            }
        }
    }
}
