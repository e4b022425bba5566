package dev.tern.cli.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Value types as {@code tern inspect} shows them. A dimension is its size when known, its
 * symbol when symbolic ("batch") and {@code ?} when unknown; a shape of unknown rank is
 * {@code [*]} in text and {@code null} in JSON.
 */
final class TypeDescriptions {
    private static final String UNKNOWN_DIM = "?";

    private TypeDescriptions() {
    }

    /** "float[batch,128,?]" for tensors, "sparse float[...]" for sparse ones, ONNX's notation otherwise. */
    static String text(ValueType type) {
        if (type == null) {
            return "unknown type";
        }
        if (type instanceof ValueType.TensorType tensor) {
            return tensor.elementType().onnxName() + shapeText(tensor.shape());
        }
        if (type instanceof ValueType.SparseTensorType sparse) {
            return "sparse " + sparse.elementType().onnxName() + shapeText(sparse.shape());
        }
        return type.toString();
    }

    /**
     * A JSON-ready map: {@code type} always (the text form); {@code elementType} and
     * {@code shape} for dense and sparse tensors, with known sizes as numbers and every other
     * dimension as a string.
     */
    static Map<String, Object> json(ValueType type) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", text(type));
        if (type instanceof ValueType.TensorType tensor) {
            json.put("elementType", tensor.elementType().onnxName());
            json.put("shape", shapeJson(tensor.shape()));
        } else if (type instanceof ValueType.SparseTensorType sparse) {
            json.put("elementType", sparse.elementType().onnxName());
            json.put("shape", shapeJson(sparse.shape()));
        }
        return json;
    }

    private static String shapeText(Shape shape) {
        if (!shape.isRankKnown()) {
            return "[*]";
        }
        return shape.dims().stream().map(TypeDescriptions::dimText).collect(Collectors.joining(",", "[", "]"));
    }

    private static List<Object> shapeJson(Shape shape) {
        if (!shape.isRankKnown()) {
            return null;
        }
        List<Object> dims = new ArrayList<>();
        for (Dim dim : shape.dims()) {
            dims.add(dim instanceof Dim.Known known ? (Object) known.size() : dimText(dim));
        }
        return dims;
    }

    private static String dimText(Dim dim) {
        if (dim instanceof Dim.Known known) {
            return Long.toString(known.size());
        }
        if (dim instanceof Dim.Symbolic symbolic) {
            return symbolic.name();
        }
        return UNKNOWN_DIM;
    }
}
