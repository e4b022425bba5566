package dev.tern.exec.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves tensors between Tern and ONNX Runtime. Fixed-width data in a direct buffer go in
 * without a copy: ONNX Runtime wraps it in place, read-only and unaligned ones included. Heap
 * buffers are copied into a direct one here, since ONNX Runtime's Java API mishandles
 * read-only heap buffers (a ClassCastException in 1.29). Strings are always copied, as ONNX
 * Runtime keeps its own.
 */
public final class TensorBridge {
    private TensorBridge() {
    }

    /**
     * An ONNX Runtime tensor over {@code tensor}'s data. The caller owns the result and must
     * keep {@code tensor} reachable while it is open (the result refers to its buffer too).
     *
     * @throws dev.tern.exec.InvalidInputException if ONNX Runtime cannot create this element type
     */
    public static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor, String what) throws OrtException {
        OnnxJavaType javaType = ElementTypes.creatable(tensor.elementType(), what);
        if (javaType == OnnxJavaType.STRING) {
            List<String> strings = tensor.stringsUtf8();
            return OnnxTensor.createTensor(env, strings.toArray(new String[0]), tensor.dims());
        }
        return OnnxTensor.createTensor(env, direct(tensor.data()), tensor.dims(), javaType);
    }

    /**
     * Whether {@link #toOrt} shares {@code tensor}'s memory rather than copying it: fixed-width
     * data in a direct buffer. Such a wrapper stays equivalent to a new one for as long as the
     * tensor lives, since ONNX Runtime reads the buffer in place.
     */
    public static boolean sharesData(Tensor tensor) {
        return tensor.elementType().isFixedWidth() && tensor.data().isDirect();
    }

    private static ByteBuffer direct(ByteBuffer data) {
        if (data.isDirect()) {
            return data;
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        return copy.put(data).flip();
    }

    /** A Tern tensor holding a copy of {@code source}'s elements in a new direct buffer. */
    public static Tensor toIr(String name, OnnxTensor source) throws OrtException {
        ElementType type = ElementTypes.of(source.getInfo());
        long[] dims = source.getInfo().getShape();
        if (type == ElementType.STRING) {
            return Tensor.ofStrings(name, dims, utf8(source));
        }
        ByteBuffer view = NativeMemory.view(source);
        ByteBuffer copy = ByteBuffer.allocateDirect(view.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(view).flip();
        return Tensor.of(name, type, dims, copy);
    }

    /** The elements of a STRING tensor, flattened in row-major order and encoded as UTF-8. */
    private static List<byte[]> utf8(OnnxTensor source) throws OrtException {
        List<byte[]> out = new ArrayList<>(Math.toIntExact(source.getInfo().getNumElements()));
        flatten(source.getValue(), out);
        return out;
    }

    private static void flatten(Object value, List<byte[]> out) {
        if (value instanceof String s) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        } else {
            for (Object element : (Object[]) value) {
                flatten(element, out);
            }
        }
    }
}
