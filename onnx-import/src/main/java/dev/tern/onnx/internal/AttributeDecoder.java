package dev.tern.onnx.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.tern.ir.Attribute;
import dev.tern.ir.AttributeType;
import dev.tern.ir.Graph;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import dev.tern.onnx.internal.proto.OnnxProtos.SparseTensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TensorProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TypeProto;
import java.util.ArrayList;
import java.util.List;

/** Turns {@code AttributeProto}s into {@link Attribute}s; subgraphs are left to the caller. */
final class AttributeDecoder {
    /** Decodes a subgraph held in a GRAPH or GRAPHS attribute, with the enclosing scope in view. */
    interface SubgraphDecoder {
        Graph decode(GraphProto proto, Where where);
    }

    private static final int TYPE_FIELD_NUMBER = AttributeProto.TYPE_FIELD_NUMBER;

    private final TensorDecoder tensors;

    AttributeDecoder(TensorDecoder tensors) {
        this.tensors = tensors;
    }

    /**
     * @param where the place of the attribute itself
     * @throws dev.tern.onnx.ModelFormatException if the type is missing or unknown, or a value is malformed
     */
    Attribute decode(AttributeProto proto, Where where, SubgraphDecoder subgraphs) {
        AttributeType type = type(proto, where);
        String name = proto.getName();
        Attribute attribute;
        if (!proto.getRefAttrName().isEmpty()) {
            attribute = Attribute.reference(name, type, proto.getRefAttrName());
        } else {
            attribute = switch (type) {
                case FLOAT -> Attribute.ofFloat(name, proto.getF());
                case INT -> Attribute.ofInt(name, proto.getI());
                case STRING -> Attribute.ofBytes(name, proto.getS().toByteArray());
                case TENSOR -> Attribute.ofTensor(name, tensors.decode(proto.getT(), where.then("t")));
                case GRAPH -> Attribute.ofGraph(name, subgraphs.decode(proto.getG(), where));
                case SPARSE_TENSOR -> Attribute.ofSparseTensor(name,
                        tensors.decodeSparse(proto.getSparseTensor(), where.then("sparse_tensor")));
                case TYPE_PROTO -> Attribute.ofType(name, TypeCodec.required(proto.getTp(), "tp", where));
                case FLOATS -> Attribute.ofFloats(name, floats(proto));
                case INTS -> Attribute.ofInts(name, ints(proto));
                case STRINGS -> Attribute.ofByteStrings(name, strings(proto));
                case TENSORS -> Attribute.ofTensors(name, tensorList(proto, where));
                case GRAPHS -> Attribute.ofGraphs(name, graphList(proto, where, subgraphs));
                case SPARSE_TENSORS -> Attribute.ofSparseTensors(name, sparseList(proto, where));
                case TYPE_PROTOS -> Attribute.ofTypes(name, typeList(proto, where));
            };
        }
        if (!proto.getDocString().isEmpty()) {
            attribute = attribute.withDocString(proto.getDocString());
        }
        if (!proto.getUnknownFields().asMap().isEmpty()) {
            attribute = attribute.withOpaqueFields(OpaqueFieldCodec.unknownFieldsOf(proto));
        }
        return attribute;
    }

    private static AttributeType type(AttributeProto proto, Where where) {
        if (proto.getType() != AttributeProto.AttributeType.UNDEFINED) {
            return AttributeType.fromOnnxCode(proto.getType().getNumber());
        }
        // proto2 keeps enum numbers it does not know as unknown fields: report the number.
        UnknownFieldSet unknown = proto.getUnknownFields();
        if (unknown.hasField(TYPE_FIELD_NUMBER) && !unknown.getField(TYPE_FIELD_NUMBER).getVarintList().isEmpty()) {
            throw where.fail("type " + unknown.getField(TYPE_FIELD_NUMBER).getVarintList().get(0)
                    + " is not a known attribute type (AttributeProto.AttributeType 1..14)");
        }
        throw where.fail("type is missing (UNDEFINED); IR version 2 and later require it");
    }

    private static float[] floats(AttributeProto proto) {
        float[] values = new float[proto.getFloatsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = proto.getFloats(i);
        }
        return values;
    }

    private static long[] ints(AttributeProto proto) {
        long[] values = new long[proto.getIntsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = proto.getInts(i);
        }
        return values;
    }

    private static List<byte[]> strings(AttributeProto proto) {
        List<byte[]> values = new ArrayList<>(proto.getStringsCount());
        for (ByteString s : proto.getStringsList()) {
            values.add(s.toByteArray());
        }
        return values;
    }

    private List<Tensor> tensorList(AttributeProto proto, Where where) {
        List<Tensor> values = new ArrayList<>(proto.getTensorsCount());
        for (int i = 0; i < proto.getTensorsCount(); i++) {
            TensorProto tensor = proto.getTensors(i);
            values.add(tensors.decode(tensor, where.then("tensors[" + i + "]")));
        }
        return values;
    }

    private static List<Graph> graphList(AttributeProto proto, Where where, SubgraphDecoder subgraphs) {
        List<Graph> values = new ArrayList<>(proto.getGraphsCount());
        for (int i = 0; i < proto.getGraphsCount(); i++) {
            values.add(subgraphs.decode(proto.getGraphs(i), where.then("graphs[" + i + "]")));
        }
        return values;
    }

    private List<SparseTensor> sparseList(AttributeProto proto, Where where) {
        List<SparseTensor> values = new ArrayList<>(proto.getSparseTensorsCount());
        for (int i = 0; i < proto.getSparseTensorsCount(); i++) {
            SparseTensorProto sparse = proto.getSparseTensors(i);
            values.add(tensors.decodeSparse(sparse, where.then("sparse_tensors[" + i + "]")));
        }
        return values;
    }

    private static List<ValueType> typeList(AttributeProto proto, Where where) {
        List<ValueType> values = new ArrayList<>(proto.getTypeProtosCount());
        for (int i = 0; i < proto.getTypeProtosCount(); i++) {
            TypeProto type = proto.getTypeProtos(i);
            values.add(TypeCodec.required(type, "type_protos[" + i + "]", where));
        }
        return values;
    }
}
