package dev.tern.exec.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import dev.tern.exec.InvalidInputException;
import dev.tern.ir.ElementType;
import java.util.EnumMap;
import java.util.Map;

/**
 * Maps Tern's element types to ONNX Runtime's Java types and back. ONNX Runtime's Java API
 * can create tensors of fewer types than it can return: it has no unsigned 16/32/64-bit,
 * float8, 4-bit or complex Java type, so those can come out of a model but not go in.
 */
public final class ElementTypes {
    private static final String ORT_TYPE_PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";
    private static final Map<ElementType, OnnxJavaType> CREATABLE = new EnumMap<>(ElementType.class);

    static {
        CREATABLE.put(ElementType.FLOAT, OnnxJavaType.FLOAT);
        CREATABLE.put(ElementType.DOUBLE, OnnxJavaType.DOUBLE);
        CREATABLE.put(ElementType.INT8, OnnxJavaType.INT8);
        CREATABLE.put(ElementType.UINT8, OnnxJavaType.UINT8);
        CREATABLE.put(ElementType.INT16, OnnxJavaType.INT16);
        CREATABLE.put(ElementType.INT32, OnnxJavaType.INT32);
        CREATABLE.put(ElementType.INT64, OnnxJavaType.INT64);
        CREATABLE.put(ElementType.BOOL, OnnxJavaType.BOOL);
        CREATABLE.put(ElementType.FLOAT16, OnnxJavaType.FLOAT16);
        CREATABLE.put(ElementType.BFLOAT16, OnnxJavaType.BFLOAT16);
        CREATABLE.put(ElementType.STRING, OnnxJavaType.STRING);
    }

    private ElementTypes() {
    }

    /** Whether ONNX Runtime's Java API can make a tensor of this type. */
    public static boolean isCreatable(ElementType type) {
        return CREATABLE.containsKey(type);
    }

    /**
     * The Java type ONNX Runtime creates tensors of {@code type} with.
     *
     * @throws InvalidInputException naming {@code what} if ONNX Runtime's Java API cannot create one
     */
    public static OnnxJavaType creatable(ElementType type, String what) {
        OnnxJavaType javaType = CREATABLE.get(type);
        if (javaType == null) {
            throw new InvalidInputException(what + ": ONNX Runtime's Java API cannot create tensors of element type "
                    + type + "; it can create " + CREATABLE.keySet());
        }
        return javaType;
    }

    /**
     * The exact ONNX element type of a tensor ONNX Runtime describes. Its enum's numbers are
     * not ONNX's, but its names are ONNX's with a prefix.
     */
    public static ElementType of(TensorInfo info) {
        String name = info.onnxType.name();
        return ElementType.valueOf(name.substring(ORT_TYPE_PREFIX.length()));
    }

    /**
     * The element type behind a Java type, as ONNX Runtime reports sequence and map contents
     * (where it gives no ONNX type); unsigned types read as their signed twins there.
     */
    public static ElementType of(OnnxJavaType javaType) {
        for (Map.Entry<ElementType, OnnxJavaType> entry : CREATABLE.entrySet()) {
            if (entry.getValue() == javaType) {
                return entry.getKey();
            }
        }
        return ElementType.UNDEFINED;
    }
}
