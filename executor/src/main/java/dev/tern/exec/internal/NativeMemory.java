package dev.tern.exec.internal;

import ai.onnxruntime.OnnxTensor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the memory of a tensor ONNX Runtime allocated without copying it to the Java heap.
 *
 * <p>ONNX Runtime's public accessors ({@code getByteBuffer}, {@code getFloatBuffer}, ...) copy
 * every output into a heap buffer. The direct buffer they copy from comes from the private
 * {@code OnnxTensor.getBuffer()}, a view of the native memory; this class calls that method.
 * If a future ONNX Runtime removes it, or the module system forbids the access, reads fall back
 * to the public copying accessor and say so once in the log: slower, never wrong.
 */
public final class NativeMemory {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);
    private static final MethodHandle VIEW = findView();

    private NativeMemory() {
    }

    /** Whether reads are views of native memory (rather than copies through the heap). */
    public static boolean readsInPlace() {
        return VIEW != null;
    }

    /**
     * The tensor's bytes as a read-only little-endian buffer. A view of native memory, valid
     * only until the tensor is closed; reading it later reads freed memory.
     */
    public static ByteBuffer view(OnnxTensor tensor) {
        ByteBuffer buffer;
        if (VIEW != null) {
            try {
                buffer = (ByteBuffer) VIEW.invokeExact(tensor);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("reading the memory of " + tensor + " failed", e);
            }
        } else {
            buffer = tensor.getByteBuffer();
        }
        return buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static MethodHandle findView() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(OnnxTensor.class, MethodHandles.lookup());
            return lookup.findVirtual(OnnxTensor.class, "getBuffer", MethodType.methodType(ByteBuffer.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("ONNX Runtime's in-place tensor view is not reachable ({}); outputs are copied through the"
                    + " Java heap", e.toString());
            return null;
        }
    }
}
