package dev.tern.exec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.tern.exec.internal.ElementTypes;
import dev.tern.exec.internal.NativeMemory;
import dev.tern.exec.internal.TensorBridge;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor in ONNX Runtime's memory: an output kept from a run ({@link Outputs#tensor}), or a
 * Tern tensor wrapped for feeding ({@link #wrap}). It can be read through a buffer and fed to
 * the next run without passing through the Java heap.
 *
 * <p>Ownership: a tensor from {@link #wrap} belongs to the caller, who closes it. A tensor
 * from {@link Outputs} belongs to the {@link Outputs}; closing the outputs closes it, and its
 * own {@link #close()} does nothing. Not safe to close while another thread reads it.
 */
public final class NativeTensor implements AutoCloseable {
    private final OnnxTensor tensor;
    private final boolean owned;
    /** Keeps a wrapped tensor's buffer, which ONNX Runtime reads in place, reachable. */
    private final Tensor source;
    private final ElementType elementType;
    private final long[] dims;

    NativeTensor(OnnxTensor tensor, boolean owned, Tensor source) {
        this.tensor = tensor;
        this.owned = owned;
        this.source = source;
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
            OnnxTensor wrapped = TensorBridge.toOrt(OrtEnvironment.getEnvironment(), tensor,
                    "tensor '" + tensor.name() + "'");
            return new NativeTensor(wrapped, true, tensor);
        } catch (OrtException e) {
            throw new ExecutionFailedException("ONNX Runtime could not wrap tensor '" + tensor.name() + "': "
                    + e.getMessage(), e);
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
