package dev.tern.server.client;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import java.util.Map;
import java.util.Optional;

/** The protocol's tensor datatype names and the ONNX element types they stand for. */
public final class Datatypes {
    private static final Map<String, ElementType> BY_NAME = Map.ofEntries(
            Map.entry("BOOL", ElementType.BOOL),
            Map.entry("UINT8", ElementType.UINT8),
            Map.entry("UINT16", ElementType.UINT16),
            Map.entry("UINT32", ElementType.UINT32),
            Map.entry("UINT64", ElementType.UINT64),
            Map.entry("INT8", ElementType.INT8),
            Map.entry("INT16", ElementType.INT16),
            Map.entry("INT32", ElementType.INT32),
            Map.entry("INT64", ElementType.INT64),
            Map.entry("FP16", ElementType.FLOAT16),
            Map.entry("BF16", ElementType.BFLOAT16),
            Map.entry("FP32", ElementType.FLOAT),
            Map.entry("FP64", ElementType.DOUBLE),
            Map.entry("BYTES", ElementType.STRING));

    private Datatypes() {
    }

    /** The element type for protocol name {@code datatype}; empty for a name the protocol does not define. */
    public static Optional<ElementType> elementType(String datatype) {
        return Optional.ofNullable(BY_NAME.get(datatype));
    }

    /** The protocol's name for {@code type}; empty for an ONNX type the protocol cannot carry. */
    public static Optional<String> name(ElementType type) {
        for (Map.Entry<String, ElementType> entry : BY_NAME.entrySet()) {
            if (entry.getValue() == type) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * The protocol's name for the element type of {@code tensor}, which a client is about to send.
     *
     * @throws IllegalArgumentException if the protocol has no datatype for it
     */
    public static String nameFor(Tensor tensor) {
        return name(tensor.elementType()).orElseThrow(() -> new IllegalArgumentException("tensor '" + tensor.name()
                + "' has element type " + tensor.elementType().onnxName() + ", which KServe v2 has no datatype for"));
    }

    /** The protocol's name for {@code type}, or the ONNX name in brackets when it has none (for messages). */
    public static String describe(ElementType type) {
        return name(type).orElse("(" + type.onnxName() + ")");
    }
}
