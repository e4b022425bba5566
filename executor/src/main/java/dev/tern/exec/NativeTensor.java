package dev.tern.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.tern.exec.internal.ElementTypes;
import dev.tern.exec.internal.NativeMemory;
import dev.tern.exec.internal.ProcessEnvironment;
import dev.tern.exec.internal.TensorBridge;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;

/**
 * A tensor in ONNX Runtime's memory: an output kept from a run ({@link Outputs#tensor}), or a
 * Tern tensor wrapped for feeding ({@link #wrap}). It can be read through a buffer and fed to
 * the next run without passing through the Java heap.
 *
 * <p>A tensor from {@link #copyOf} is also writable: a run may write an output into it
 * ({@link CompiledModel#runNative(java.util.Map, java.util.Map)}), which is how state that changes every run
 * (training weights) stays in place without an allocation per run.
 *
 * <p>Ownership: a tensor from {@link #wrap} or {@link #copyOf} belongs to the caller, who closes it. A tensor
 * from {@link Outputs} belongs to the {@link Outputs}; closing the outputs closes it, and its
 * own {@link #close()} does nothing. Not safe to close while another thread reads it.
 */
public final class NativeTensor implements AutoCloseable {
    /** The element types {@link #fill} writes. */
    private static final Set<ElementType> FILLABLE =
            Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT32, ElementType.INT64);
    private final OnnxTensor tensor;
    private final boolean owned;
    /** Keeps a wrapped tensor's buffer, which ONNX Runtime reads in place, reachable. */
    private final Tensor source;
    /** The memory ONNX Runtime reads and writes for a {@link #copyOf} tensor, else null. */
    private final ByteBuffer writableMemory;
    private final ElementType elementType;
    private final long[] dims;

    NativeTensor(OnnxTensor tensor, boolean owned, Tensor source) {
        this(tensor, owned, source, null);
    }

    private NativeTensor(OnnxTensor tensor, boolean owned, Tensor source, ByteBuffer writableMemory) {
        this.tensor = tensor;
        this.owned = owned;
        this.source = source;
        this.writableMemory = writableMemory;
        this.elementType = ElementTypes.of(tensor.getInfo());
        this.dims = tensor.getInfo().getShape();
    }

    /**
     * Wraps {@code tensor} for ONNX Runtime. Fixed-width data are shared, not copied, when the
     * tensor's buffer is direct (as Tern's are); strings are copied. The caller owns the result.
     *
     * @throws InvalidInputException if ONNX Runtime's Java API cannot create this element type
     * @throws ExecutionFailedException if ONNX Runtime fails to create the tensor
     */
    public static NativeTensor wrap(Tensor tensor) {
        try {
            OnnxTensor wrapped = TensorBridge.toOrt(ProcessEnvironment.get(), tensor,
                    "tensor '" + tensor.name() + "'");
            return new NativeTensor(wrapped, true, tensor);
        } catch (OrtException e) {
            throw new ExecutionFailedException("ONNX Runtime could not wrap tensor '" + tensor.name() + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * A new tensor in its own direct buffer holding a copy of {@code tensor}'s elements, which
     * runs may overwrite as a preallocated output. The caller owns the result and closes it.
     *
     * @throws InvalidInputException if ONNX Runtime's Java API cannot create this element type,
     *     or it is STRING (not fixed-width)
     * @throws ExecutionFailedException if ONNX Runtime fails to create the tensor
     */
    public static NativeTensor copyOf(Tensor tensor) {
        String what = "tensor '" + tensor.name() + "'";
        if (!tensor.elementType().isFixedWidth()) {
            throw new InvalidInputException(what + " holds " + tensor.elementType()
                    + "; only fixed-width tensors can be written by runs");
        }
        ByteBuffer data = tensor.data();
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(data).flip();
        Tensor view = Tensor.of(tensor.name(), tensor.elementType(), tensor.dims(), buffer);
        try {
            OnnxTensor created = OnnxTensor.createTensor(ProcessEnvironment.get(), buffer, tensor.dims(),
                    ElementTypes.creatable(tensor.elementType(), what));
            return new NativeTensor(created, true, view, buffer);
        } catch (OrtException e) {
            throw new ExecutionFailedException("ONNX Runtime could not create " + what + ": " + e.getMessage(), e);
        }
    }

    public ElementType elementType() {
        return elementType;
    }

    /** The dimensions (a copy). */
    public long[] dims() {
        return dims.clone();
    }

    /**
     * The elements as a read-only little-endian buffer over ONNX Runtime's memory, not a copy.
     * It is valid only while this tensor (for an output: its {@link Outputs}) is open; reading
     * it afterwards reads freed memory.
     *
     * @throws ClosedException if the tensor is closed
     * @throws ExecException for a STRING tensor, whose elements are not in a flat buffer
     */
    public ByteBuffer buffer() {
        requireOpen();
        if (elementType == ElementType.STRING) {
            throw new ExecException("native tensor " + describe() + " holds strings; read them with toTensor()");
        }
        return source != null ? source.data() : NativeMemory.view(tensor);
    }

    /**
     * A Tern tensor named {@code name} holding a copy of the elements, in a direct buffer;
     * it stays valid after this tensor is closed.
     *
     * @throws ClosedException if the tensor is closed
     */
    public Tensor toTensor(String name) {
        requireOpen();
        try {
            return TensorBridge.toIr(name, tensor);
        } catch (OrtException e) {
            throw new ExecutionFailedException("cannot read native tensor " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the tensor's memory has been released. */
    public boolean isClosed() {
        return tensor.isClosed();
    }

    /** Releases a tensor from {@link #wrap}; does nothing for one owned by {@link Outputs}. Idempotent. */
    @Override
    public void close() {
        if (owned) {
            synchronized (this) {
                if (!tensor.isClosed()) {
                    tensor.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "NativeTensor(" + describe() + (isClosed() ? ", closed" : "") + ")";
    }

    /**
     * Sets every element of this {@link #copyOf} tensor to {@code value}, converted to its
     * element type, in place: the next run that reads it sees the new value. For an input that
     * changes from run to run, such as a learning rate, without a new native tensor per run.
     * Not while a run reads or writes this tensor.
     *
     * @throws ClosedException if the tensor is closed
     * @throws ExecException if the tensor is not {@linkplain #isWritable writable}, or its
     *     element type is not FLOAT, DOUBLE, INT32 or INT64
     */
    public void fill(double value) {
        requireOpen();
        if (!isWritable()) {
            throw new ExecException("native tensor " + describe() + " is not writable; make it with NativeTensor.copyOf");
        }
        if (!FILLABLE.contains(elementType)) {
            throw new ExecException("native tensor " + describe() + " holds " + elementType
                    + "; fill takes FLOAT, DOUBLE, INT32 or INT64 tensors");
        }
        int width = elementType.bitWidth() / Byte.SIZE;
        for (int offset = 0; offset < writableMemory.capacity(); offset += width) {
            switch (elementType) {
                case FLOAT -> writableMemory.putFloat(offset, (float) value);
                case DOUBLE -> writableMemory.putDouble(offset, value);
                case INT32 -> writableMemory.putInt(offset, (int) value);
                default -> writableMemory.putLong(offset, (long) value);
            }
        }
    }

    /** Whether runs may write into this tensor: it came from {@link #copyOf}. */
    public boolean isWritable() {
        return writableMemory != null;
    }

    /** The ONNX Runtime tensor, for feeding a run. */
    OnnxTensor ort() {
        requireOpen();
        return tensor;
    }

    private String describe() {
        return elementType.onnxName() + Arrays.toString(dims);
    }

    private void requireOpen() {
        if (tensor.isClosed()) {
            throw new ClosedException("native tensor " + describe() + " is closed"
                    + (owned ? "" : " (the Outputs it belongs to were closed)"));
        }
    }
}
