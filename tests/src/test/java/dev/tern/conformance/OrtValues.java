package dev.tern.conformance;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.onnx.TestData;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Moves test values between Tern ({@link Tensor}, {@link TestData}) and ONNX Runtime's Java API.
 */
final class OrtValues {
    private static final Map<ElementType, OnnxJavaType> JAVA_TYPES = Map.of(
            ElementType.FLOAT, OnnxJavaType.FLOAT,
            ElementType.DOUBLE, OnnxJavaType.DOUBLE,
            ElementType.INT8, OnnxJavaType.INT8,
            ElementType.UINT8, OnnxJavaType.UINT8,
            ElementType.INT16, OnnxJavaType.INT16,
            ElementType.INT32, OnnxJavaType.INT32,
            ElementType.INT64, OnnxJavaType.INT64,
            ElementType.BOOL, OnnxJavaType.BOOL,
            ElementType.FLOAT16, OnnxJavaType.FLOAT16,
            ElementType.BFLOAT16, OnnxJavaType.BFLOAT16);

    private OrtValues() {
    }

    /** Whether ORT's Java API can create a tensor of {@code type}; it has no unsigned type wider than 8 bits, say. */
    static boolean canCreate(ElementType type) {
        return type == ElementType.STRING || JAVA_TYPES.containsKey(type);
    }

    /**
     * An ORT tensor holding a copy of {@code tensor}.
     *
     * @throws UnsupportedCaseException if ORT's Java API cannot make a tensor of this type
     */
    static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor) throws OrtException {
        long[] shape = tensor.dims();
        if (tensor.elementType() == ElementType.STRING) {
            String[] strings = tensor.stringsUtf8().toArray(new String[0]);
            return OnnxTensor.createTensor(env, strings, shape);
        }
        if (!canCreate(tensor.elementType())) {
            throw new UnsupportedCaseException("ORT's Java API cannot create " + tensor.elementType() + " inputs");
        }
        OnnxJavaType javaType = JAVA_TYPES.get(tensor.elementType());
        ByteBuffer source = tensor.data();
        ByteBuffer copy = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        copy.put(source).flip();
        return OnnxTensor.createTensor(env, copy, shape, javaType);
    }

    /**
     * The Tern-side form of an ORT output.
     *
     * @throws UnsupportedCaseException for value kinds ORT's Java API cannot read
     */
    static TestData fromOrt(String name, OnnxValue value) throws OrtException {
        if (value instanceof OnnxTensor tensor) {
            return new TestData.TensorData(fromOrtTensor(name, tensor));
        }
        if (value instanceof OnnxSequence sequence) {
            List<TestData> elements = new ArrayList<>();
            for (OnnxValue element : sequence.getValue()) {
                elements.add(fromOrt(name, element));
            }
            return new TestData.SequenceData(elements);
        }
        throw new UnsupportedCaseException("ORT's Java API cannot read " + value.getType() + " output '" + name + "'");
    }

    private static Tensor fromOrtTensor(String name, OnnxTensor tensor) throws OrtException {
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        ElementType type = elementType(info.onnxType);
        if (type == ElementType.STRING) {
            String[] flat = flattenStrings(tensor.getValue());
            List<byte[]> bytes = new ArrayList<>();
            for (String s : flat) {
                bytes.add(s.getBytes(StandardCharsets.UTF_8));
            }
            return Tensor.ofStrings(name, shape, bytes);
        }
        if (type == ElementType.FLOAT16 || type == ElementType.BFLOAT16) {
            // getByteBuffer() widens 16-bit floats to float32; the raw bits come from getShortBuffer().
            ShortBuffer bits = tensor.getShortBuffer();
            ByteBuffer bytes = ByteBuffer.allocate(bits.remaining() * 2).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asShortBuffer().put(bits);
            return Tensor.of(name, type, shape, bytes);
        }
        ByteBuffer bytes = tensor.getByteBuffer();
        if (bytes == null) {
            throw new UnsupportedCaseException("ORT's Java API cannot read " + type + " output '" + name + "'");
        }
        return Tensor.of(name, type, shape, bytes.order(ByteOrder.LITTLE_ENDIAN));
    }

    /** ORT's enum lists element types in its own order; the names after the prefix are ONNX's. */
    static ElementType elementType(TensorInfo.OnnxTensorType ortType) {
        return ElementType.valueOf(ortType.name().substring("ONNX_TENSOR_ELEMENT_DATA_TYPE_".length()));
    }

    private static String[] flattenStrings(Object value) {
        if (value instanceof String s) {
            return new String[] {s};
        }
        if (value instanceof String[] strings) {
            return strings;
        }
        List<String> flat = new ArrayList<>();
        for (Object element : (Object[]) value) {
            flat.addAll(Arrays.asList(flattenStrings(element)));
        }
        return flat.toArray(new String[0]);
    }
}
