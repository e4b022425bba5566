package dev.tern.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A constant tensor: element type, concrete dimensions and data. Immutable.
 *
 * <p>Fixed-width data sit in a read-only little-endian {@link ByteBuffer}, which may be a view
 * of a memory-mapped model file: the tensor keeps that buffer (and so the mapping) reachable
 * for as long as it lives. STRING tensors hold their elements as byte arrays.
 *
 * <p>The byte size is checked against the dimensions when the tensor is made, so a tensor
 * never claims more elements than its buffer holds.
 */
public final class Tensor {
    private final String name;
    private final ElementType elementType;
    private final long[] dims;
    private final ByteBuffer data;
    private final List<byte[]> strings;
    private final Annotations annotations;

    /** What a tensor carries besides its content; none of it takes part in {@link #contentEquals}. */
    private record Annotations(String docString, Map<String, String> metadataProps, OpaqueFields opaqueFields) {
        static final Annotations NONE = new Annotations("", Map.of(), OpaqueFields.NONE);
    }

    private Tensor(String name, ElementType elementType, long[] dims, ByteBuffer data,
                  List<byte[]> strings, Annotations annotations) {
        this.name = name;
        this.elementType = elementType;
        this.dims = dims;
        this.data = data;
        this.strings = strings;
        this.annotations = annotations;
    }

    /**
     * A fixed-width tensor over {@code data}, which is not copied: the bytes from its position
     * to its limit are the elements, little-endian and packed.
     *
     * @throws IrException if the element type is not fixed-width, a dimension is negative,
     *     or the byte count is not exactly element count times element size
     */
    public static Tensor of(String name, ElementType elementType, long[] dims, ByteBuffer data) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(data, "data");
        long[] copy = checkedDims(name, dims);
        if (!elementType.isFixedWidth()) {
            throw new IrException("tensor '" + name + "': element type " + elementType
                    + " cannot be stored in a byte buffer");
        }
        long expected = elementType.byteSize(elementCount(name, copy));
        if (data.remaining() != expected) {
            throw new IrException("tensor '" + name + "' of type " + elementType + " and shape "
                    + Arrays.toString(copy) + " needs " + expected + " bytes, found " + data.remaining());
        }
        ByteBuffer view = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new Tensor(name, elementType, copy, view, null, Annotations.NONE);
    }

    /**
     * A STRING tensor. The arrays are copied.
     *
     * @throws IrException if the number of strings differs from the element count
     */
    public static Tensor ofStrings(String name, long[] dims, List<byte[]> strings) {
        long[] copy = checkedDims(name, dims);
        long count = elementCount(name, copy);
        if (strings.size() != count) {
            throw new IrException("tensor '" + name + "' of shape " + Arrays.toString(copy)
                    + " needs " + count + " strings, found " + strings.size());
        }
        List<byte[]> owned = new ArrayList<>(strings.size());
        for (byte[] s : strings) {
            owned.add(s.clone());
        }
        return new Tensor(name, ElementType.STRING, copy, null, List.copyOf(owned), Annotations.NONE);
    }

    /** A float tensor copied from Java values. */
    public static Tensor ofFloats(String name, long[] dims, float... values) {
        ByteBuffer buffer = allocate(values.length * 4L);
        buffer.asFloatBuffer().put(values);
        return of(name, ElementType.FLOAT, dims, buffer);
    }

    /** A double tensor copied from Java values. */
    public static Tensor ofDoubles(String name, long[] dims, double... values) {
        ByteBuffer buffer = allocate(values.length * 8L);
        buffer.asDoubleBuffer().put(values);
        return of(name, ElementType.DOUBLE, dims, buffer);
    }

    /** An int32 tensor copied from Java values. */
    public static Tensor ofInts(String name, long[] dims, int... values) {
        ByteBuffer buffer = allocate(values.length * 4L);
        buffer.asIntBuffer().put(values);
        return of(name, ElementType.INT32, dims, buffer);
    }

    /** An int64 tensor copied from Java values. */
    public static Tensor ofLongs(String name, long[] dims, long... values) {
        ByteBuffer buffer = allocate(values.length * 8L);
        buffer.asLongBuffer().put(values);
        return of(name, ElementType.INT64, dims, buffer);
    }

    /** A bool tensor copied from Java values. */
    public static Tensor ofBooleans(String name, long[] dims, boolean... values) {
        ByteBuffer buffer = allocate(values.length);
        for (boolean value : values) {
            buffer.put((byte) (value ? 1 : 0));
        }
        buffer.flip();
        return of(name, ElementType.BOOL, dims, buffer);
    }

    /** A tensor of {@code elementType} and {@code dims} whose bytes are all zero. */
    public static Tensor zeros(String name, ElementType elementType, long... dims) {
        long bytes = elementType.byteSize(elementCount(name, checkedDims(name, dims)));
        return of(name, elementType, dims, allocate(bytes));
    }

    /** A copy with another name; the data are shared, not copied. */
    public Tensor withName(String newName) {
        return new Tensor(newName, elementType, dims, data, strings, annotations);
    }

    /** A copy with another doc string; the data are shared, not copied. */
    public Tensor withDocString(String newDocString) {
        return new Tensor(name, elementType, dims, data, strings, new Annotations(
                Objects.requireNonNull(newDocString), annotations.metadataProps(), annotations.opaqueFields()));
    }

    /**
     * A copy with other metadata (kept in the order given); the data are shared, not copied.
     *
     * @throws NullPointerException if a key or value is null
     */
    public Tensor withMetadataProps(Map<String, String> metadataProps) {
        Map<String, String> copy = new LinkedHashMap<>();
        metadataProps.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, () -> "value of '" + key + "'")));
        return new Tensor(name, elementType, dims, data, strings, new Annotations(
                annotations.docString(), Collections.unmodifiableMap(copy), annotations.opaqueFields()));
    }

    /** A copy carrying {@code fields}; the data are shared, not copied. */
    public Tensor withOpaqueFields(OpaqueFields fields) {
        return new Tensor(name, elementType, dims, data, strings, new Annotations(
                annotations.docString(), annotations.metadataProps(), Objects.requireNonNull(fields, "fields")));
    }

    /** The tensor's name; may be empty (attribute tensors often have none). */
    public String name() {
        return name == null ? "" : name;
    }

    public ElementType elementType() {
        return elementType;
    }

    /** The dimensions (a copy). */
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long elementCount() {
        return elementCount(name, dims);
    }

    /** Bytes of fixed-width data, or the sum of string lengths for STRING tensors. */
    public long byteSize() {
        if (strings != null) {
            return strings.stream().mapToLong(s -> s.length).sum();
        }
        return data.capacity();
    }

    public String docString() {
        return annotations.docString();
    }

    /** Free-form key/value metadata ({@code metadata_props}), in order (read-only). */
    public Map<String, String> metadataProps() {
        return annotations.metadataProps();
    }

    /** Fields of the tensor's ONNX {@code TensorProto} that Tern keeps without interpreting. */
    public OpaqueFields opaqueFields() {
        return annotations.opaqueFields();
    }

    /**
     * The element bytes: a read-only little-endian view positioned at 0. The view shares the
     * tensor's memory; it stays valid while the caller holds it.
     *
     * @throws IrException for STRING tensors
     */
    public ByteBuffer data() {
        if (data == null) {
            throw new IrException("tensor '" + name() + "' holds strings, not a byte buffer");
        }
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The elements of a STRING tensor (copies).
     *
     * @throws IrException for other element types
     */
    public List<byte[]> strings() {
        if (strings == null) {
            throw new IrException("tensor '" + name() + "' has element type " + elementType + ", not STRING");
        }
        List<byte[]> copies = new ArrayList<>(strings.size());
        for (byte[] s : strings) {
            copies.add(s.clone());
        }
        return copies;
    }

    /** The elements of a STRING tensor decoded as UTF-8. */
    public List<String> stringsUtf8() {
        List<String> decoded = new ArrayList<>();
        for (byte[] s : strings()) {
            decoded.add(new String(s, StandardCharsets.UTF_8));
        }
        return decoded;
    }

    /** The elements of a FLOAT tensor copied into a Java array. */
    public float[] toFloatArray() {
        requireType(ElementType.FLOAT);
        float[] values = new float[Math.toIntExact(elementCount())];
        data().asFloatBuffer().get(values);
        return values;
    }

    /** The elements of a DOUBLE tensor copied into a Java array. */
    public double[] toDoubleArray() {
        requireType(ElementType.DOUBLE);
        double[] values = new double[Math.toIntExact(elementCount())];
        data().asDoubleBuffer().get(values);
        return values;
    }

    /** The elements of an INT32 tensor copied into a Java array. */
    public int[] toIntArray() {
        requireType(ElementType.INT32);
        int[] values = new int[Math.toIntExact(elementCount())];
        data().asIntBuffer().get(values);
        return values;
    }

    /** The elements of an INT64 tensor copied into a Java array. */
    public long[] toLongArray() {
        requireType(ElementType.INT64);
        long[] values = new long[Math.toIntExact(elementCount())];
        data().asLongBuffer().get(values);
        return values;
    }

    /** Whether both tensors have the same type, dims and element bytes (names, docs and metadata ignored). */
    public boolean contentEquals(Tensor other) {
        if (elementType != other.elementType || !Arrays.equals(dims, other.dims)) {
            return false;
        }
        if (strings != null) {
            if (strings.size() != other.strings.size()) {
                return false;
            }
            for (int i = 0; i < strings.size(); i++) {
                if (!Arrays.equals(strings.get(i), other.strings.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return data().equals(other.data());
    }

    /** The tensor's type as a {@link ValueType}. */
    public ValueType.TensorType type() {
        return new ValueType.TensorType(elementType, Shape.of(dims));
    }

    @Override
    public String toString() {
        return "Tensor(" + name() + ": " + elementType.onnxName() + Arrays.toString(dims) + ")";
    }

    private void requireType(ElementType expected) {
        if (elementType != expected) {
            throw new IrException("tensor '" + name() + "' has element type " + elementType
                    + ", expected " + expected);
        }
    }

    private static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IrException("tensor of " + bytes + " bytes is too large for one buffer");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long[] checkedDims(String name, long[] dims) {
        Objects.requireNonNull(dims, "dims");
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IrException("tensor '" + name + "': dimension " + i + " is negative ("
                        + dims[i] + ")");
            }
        }
        return dims.clone();
    }

    private static long elementCount(String name, long[] dims) {
        long count = 1;
        for (long dim : dims) {
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new IrException("tensor '" + name + "': element count of shape "
                        + Arrays.toString(dims) + " overflows a long");
            }
        }
        return count;
    }
}
