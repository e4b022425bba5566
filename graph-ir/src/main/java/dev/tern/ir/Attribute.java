package dev.tern.ir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A named node attribute of one {@link AttributeType}. Immutable, except that GRAPH values are
 * the (mutable) subgraphs themselves.
 *
 * <p>Inside a function body an attribute may instead refer to an attribute of the calling
 * node ({@link #isReference()}); it then has a type but no value.
 */
public final class Attribute {
    private final String name;
    private final AttributeType type;
    private final Object value;
    private final String refAttrName;
    private final String docString;
    private final OpaqueFields opaqueFields;

    private Attribute(String name, AttributeType type, Object value, String refAttrName, String docString) {
        this(name, type, value, refAttrName, docString, OpaqueFields.NONE);
    }

    private Attribute(String name, AttributeType type, Object value, String refAttrName, String docString,
                      OpaqueFields opaqueFields) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.value = value;
        this.refAttrName = refAttrName;
        this.docString = docString;
        this.opaqueFields = opaqueFields;
    }

    public static Attribute ofFloat(String name, float value) {
        return new Attribute(name, AttributeType.FLOAT, value, null, "");
    }

    public static Attribute ofInt(String name, long value) {
        return new Attribute(name, AttributeType.INT, value, null, "");
    }

    /** A STRING attribute holding the UTF-8 bytes of {@code value}. */
    public static Attribute ofString(String name, String value) {
        return ofBytes(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A STRING attribute holding raw bytes (ONNX strings are byte strings). */
    public static Attribute ofBytes(String name, byte[] value) {
        return new Attribute(name, AttributeType.STRING, value.clone(), null, "");
    }

    public static Attribute ofTensor(String name, Tensor value) {
        return new Attribute(name, AttributeType.TENSOR, Objects.requireNonNull(value), null, "");
    }

    public static Attribute ofGraph(String name, Graph value) {
        return new Attribute(name, AttributeType.GRAPH, Objects.requireNonNull(value), null, "");
    }

    public static Attribute ofSparseTensor(String name, SparseTensor value) {
        return new Attribute(name, AttributeType.SPARSE_TENSOR, Objects.requireNonNull(value), null, "");
    }

    public static Attribute ofType(String name, ValueType value) {
        return new Attribute(name, AttributeType.TYPE_PROTO, Objects.requireNonNull(value), null, "");
    }

    public static Attribute ofFloats(String name, float... values) {
        return new Attribute(name, AttributeType.FLOATS, values.clone(), null, "");
    }

    public static Attribute ofInts(String name, long... values) {
        return new Attribute(name, AttributeType.INTS, values.clone(), null, "");
    }

    public static Attribute ofStrings(String name, String... values) {
        List<byte[]> bytes = new ArrayList<>();
        for (String value : values) {
            bytes.add(value.getBytes(StandardCharsets.UTF_8));
        }
        return ofByteStrings(name, bytes);
    }

    public static Attribute ofByteStrings(String name, List<byte[]> values) {
        List<byte[]> copies = new ArrayList<>();
        for (byte[] value : values) {
            copies.add(value.clone());
        }
        return new Attribute(name, AttributeType.STRINGS, List.copyOf(copies), null, "");
    }

    public static Attribute ofTensors(String name, List<Tensor> values) {
        return new Attribute(name, AttributeType.TENSORS, List.copyOf(values), null, "");
    }

    public static Attribute ofGraphs(String name, List<Graph> values) {
        return new Attribute(name, AttributeType.GRAPHS, List.copyOf(values), null, "");
    }

    public static Attribute ofSparseTensors(String name, List<SparseTensor> values) {
        return new Attribute(name, AttributeType.SPARSE_TENSORS, List.copyOf(values), null, "");
    }

    public static Attribute ofTypes(String name, List<ValueType> values) {
        return new Attribute(name, AttributeType.TYPE_PROTOS, List.copyOf(values), null, "");
    }

    /** An attribute of a function-body node that takes the value of the caller's attribute {@code refAttrName}. */
    public static Attribute reference(String name, AttributeType type, String refAttrName) {
        return new Attribute(name, type, null, Objects.requireNonNull(refAttrName, "refAttrName"), "");
    }

    /** A copy with a doc string. */
    public Attribute withDocString(String newDocString) {
        return new Attribute(name, type, value, refAttrName, Objects.requireNonNull(newDocString), opaqueFields);
    }

    /** A copy carrying {@code fields}. */
    public Attribute withOpaqueFields(OpaqueFields fields) {
        return new Attribute(name, type, value, refAttrName, docString, Objects.requireNonNull(fields, "fields"));
    }

    public String name() {
        return name;
    }

    public AttributeType type() {
        return type;
    }

    public String docString() {
        return docString;
    }

    /** Fields of the attribute's ONNX {@code AttributeProto} that Tern keeps without interpreting. */
    public OpaqueFields opaqueFields() {
        return opaqueFields;
    }

    public boolean isReference() {
        return refAttrName != null;
    }

    /** The caller's attribute this one refers to, or null when it holds a value. */
    public String refAttrName() {
        return refAttrName;
    }

    public float asFloat() {
        return (Float) expect(AttributeType.FLOAT);
    }

    public long asInt() {
        return (Long) expect(AttributeType.INT);
    }

    /** The STRING value decoded as UTF-8. */
    public String asString() {
        return new String(asBytes(), StandardCharsets.UTF_8);
    }

    /** The STRING value's bytes (a copy). */
    public byte[] asBytes() {
        return ((byte[]) expect(AttributeType.STRING)).clone();
    }

    public Tensor asTensor() {
        return (Tensor) expect(AttributeType.TENSOR);
    }

    public Graph asGraph() {
        return (Graph) expect(AttributeType.GRAPH);
    }

    public SparseTensor asSparseTensor() {
        return (SparseTensor) expect(AttributeType.SPARSE_TENSOR);
    }

    public ValueType asType() {
        return (ValueType) expect(AttributeType.TYPE_PROTO);
    }

    public float[] asFloats() {
        return ((float[]) expect(AttributeType.FLOATS)).clone();
    }

    public long[] asInts() {
        return ((long[]) expect(AttributeType.INTS)).clone();
    }

    /** The STRINGS values' bytes (copies). */
    public List<byte[]> asByteStrings() {
        @SuppressWarnings("unchecked")
        List<byte[]> values = (List<byte[]>) expect(AttributeType.STRINGS);
        List<byte[]> copies = new ArrayList<>();
        for (byte[] value : values) {
            copies.add(value.clone());
        }
        return copies;
    }

    /** The STRINGS values decoded as UTF-8. */
    public List<String> asStrings() {
        List<String> decoded = new ArrayList<>();
        for (byte[] value : asByteStrings()) {
            decoded.add(new String(value, StandardCharsets.UTF_8));
        }
        return decoded;
    }

    @SuppressWarnings("unchecked")
    public List<Tensor> asTensors() {
        return (List<Tensor>) expect(AttributeType.TENSORS);
    }

    @SuppressWarnings("unchecked")
    public List<Graph> asGraphs() {
        return (List<Graph>) expect(AttributeType.GRAPHS);
    }

    @SuppressWarnings("unchecked")
    public List<SparseTensor> asSparseTensors() {
        return (List<SparseTensor>) expect(AttributeType.SPARSE_TENSORS);
    }

    @SuppressWarnings("unchecked")
    public List<ValueType> asTypes() {
        return (List<ValueType>) expect(AttributeType.TYPE_PROTOS);
    }

    /** The subgraphs this attribute holds: one for GRAPH, all for GRAPHS, none otherwise. */
    public List<Graph> subgraphs() {
        if (isReference()) {
            return List.of();
        }
        return switch (type) {
            case GRAPH -> List.of(asGraph());
            case GRAPHS -> asGraphs();
            default -> List.of();
        };
    }

    private Object expect(AttributeType expected) {
        if (type != expected) {
            throw new IrException("attribute '" + name + "' is " + type + ", not " + expected);
        }
        if (value == null) {
            throw new IrException("attribute '" + name + "' refers to the caller's attribute '"
                    + refAttrName + "' and holds no value");
        }
        return value;
    }

    @Override
    public String toString() {
        if (isReference()) {
            return name + "=@" + refAttrName;
        }
        return name + ":" + type;
    }
}
