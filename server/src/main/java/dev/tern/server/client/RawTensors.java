package dev.tern.server.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tensors in the protocol's raw form: fixed-width elements little-endian and back to back;
 * BYTES elements each as a 4-byte little-endian length followed by that many bytes.
 */
public final class RawTensors {
    private RawTensors() {
    }

    /**
     * A tensor owning a copy of {@code raw} in native memory, ready to hand to ONNX Runtime.
     *
     * @param what names the tensor in messages
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT if the byte count does not match the shape
     */
    public static Tensor toTensor(String name, ElementType type, long[] dims, long count, ByteString raw, String what) {
        if (type == ElementType.STRING) {
            return Tensor.ofStrings(name, dims, decodeStrings(raw, count, what));
        }
        long expected = type.byteSize(count);
        if (raw.size() != expected) {
            throw Status.invalidArgument(what + " of datatype " + Datatypes.describe(type) + " and shape "
                    + Arrays.toString(dims) + " needs " + expected + " bytes, found " + raw.size())
                    .asException();
        }
        ByteBuffer owned = ByteBuffer.allocateDirect(raw.size()).order(ByteOrder.LITTLE_ENDIAN);
        raw.copyTo(owned);
        owned.flip();
        return Tensor.of(name, type, dims, owned);
    }

    /** The raw form of {@code tensor}; fixed-width data is wrapped, not copied (tensors never change). */
    public static ByteString fromTensor(Tensor tensor) {
        if (tensor.elementType() == ElementType.STRING) {
            List<ByteString> elements = new ArrayList<>();
            for (byte[] element : tensor.strings()) {
                elements.add(UnsafeByteOperations.unsafeWrap(element));
            }
            return encodeStrings(elements);
        }
        return UnsafeByteOperations.unsafeWrap(tensor.data());
    }

    /** BYTES elements in raw form: each length-prefixed. */
    public static ByteString encodeStrings(List<ByteString> elements) {
        int size = 0;
        for (ByteString element : elements) {
            size = Math.addExact(size, 4 + element.size());
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (ByteString element : elements) {
            out.putInt(element.size());
            element.copyTo(out);
        }
        out.flip();
        return UnsafeByteOperations.unsafeWrap(out);
    }

    /**
     * Splits raw BYTES data into its {@code count} elements.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT if a length runs past the end or the count differs
     */
    public static List<byte[]> decodeStrings(ByteString raw, long count, String what) {
        ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> elements = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 4) {
                throw Status.invalidArgument(what + ": BYTES element " + elements.size()
                        + " has a truncated 4-byte length prefix").asException();
            }
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw Status.invalidArgument(what + ": BYTES element " + elements.size() + " claims " + length
                        + " bytes, but " + in.remaining() + " remain").asException();
            }
            byte[] element = new byte[length];
            in.get(element);
            elements.add(element);
        }
        if (elements.size() != count) {
            throw Status.invalidArgument(what + " has " + count + " elements by its shape, but its raw BYTES data holds "
                    + elements.size()).asException();
        }
        return elements;
    }
}
