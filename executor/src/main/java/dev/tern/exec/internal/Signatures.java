package dev.tern.exec.internal;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.tern.exec.IoSpec;
import dev.tern.ir.Dim;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns ONNX Runtime's description of a session's inputs and outputs into {@link IoSpec}s. */
public final class Signatures {
    private Signatures() {
    }

    /** The specs in ONNX Runtime's order, which is the model's. */
    public static List<IoSpec> of(Map<String, NodeInfo> infos) {
        List<IoSpec> specs = new ArrayList<>(infos.size());
        for (NodeInfo info : infos.values()) {
            specs.add(new IoSpec(info.getName(), type(info.getInfo())));
        }
        return List.copyOf(specs);
    }

    private static ValueType type(ValueInfo info) {
        if (info instanceof TensorInfo tensor) {
            return new ValueType.TensorType(ElementTypes.of(tensor), shape(tensor));
        }
        if (info instanceof SequenceInfo sequence) {
            ValueType element = sequence.isSequenceOfMaps()
                    ? map(sequence.mapInfo)
                    : new ValueType.TensorType(ElementTypes.of(sequence.sequenceType), Shape.unknownRank());
            return new ValueType.SequenceType(element);
        }
        if (info instanceof MapInfo map) {
            return map(map);
        }
        throw new IllegalStateException("ONNX Runtime described a value as " + info.getClass().getName()
                + ", which the executor does not know");
    }

    private static ValueType map(MapInfo map) {
        return new ValueType.MapType(ElementTypes.of(map.keyType),
                new ValueType.TensorType(ElementTypes.of(map.valueType), Shape.unknownRank()));
    }

    /** ONNX Runtime writes -1 for a dimension it does not know, with the symbol's name if it has one. */
    private static Shape shape(TensorInfo tensor) {
        long[] sizes = tensor.getShape();
        String[] names = tensor.getDimensionNames();
        Dim[] dims = new Dim[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] >= 0) {
                dims[i] = Dim.of(sizes[i]);
            } else if (names != null && i < names.length && !names[i].isEmpty()) {
                dims[i] = Dim.of(names[i]);
            } else {
                dims[i] = Dim.UNKNOWN;
            }
        }
        return Shape.of(dims);
    }
}
