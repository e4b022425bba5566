package dev.tern.onnx.internal;

import com.google.protobuf.ByteString;
import dev.tern.ir.Attribute;
import dev.tern.ir.Graph;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.ir.ValueType;
import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.GraphProto;
import java.util.function.BiFunction;

/** Turns {@link Attribute}s into {@code AttributeProto}s; subgraphs are encoded by the caller. */
final class AttributeEncoder {
    private final TensorEncoder tensors;

    AttributeEncoder(TensorEncoder tensors) {
        this.tensors = tensors;
    }

    AttributeProto encode(Attribute attribute, Where where, BiFunction<Graph, Where, GraphProto> subgraphs) {
        AttributeProto.Builder builder = AttributeProto.newBuilder()
                .setName(attribute.name())
                .setType(AttributeProto.AttributeType.forNumber(attribute.type().onnxCode()));
        if (!attribute.docString().isEmpty()) {
            builder.setDocString(attribute.docString());
        }
        OpaqueFieldCodec.restore(builder, attribute.opaqueFields(), where);
        if (attribute.isReference()) {
            return builder.setRefAttrName(attribute.refAttrName()).build();
        }
        switch (attribute.type()) {
            case FLOAT -> builder.setF(attribute.asFloat());
            case INT -> builder.setI(attribute.asInt());
            case STRING -> builder.setS(ByteString.copyFrom(attribute.asBytes()));
            case TENSOR -> builder.setT(tensors.encode(attribute.asTensor(), attribute.asTensor().name(), where));
            case GRAPH -> builder.setG(subgraphs.apply(attribute.asGraph(), where));
            case SPARSE_TENSOR -> builder.setSparseTensor(
                    tensors.encodeSparse(attribute.asSparseTensor(), attribute.asSparseTensor().name(), where));
            case TYPE_PROTO -> builder.setTp(TypeCodec.encode(attribute.asType()));
            case FLOATS -> {
                for (float value : attribute.asFloats()) {
                    builder.addFloats(value);
                }
            }
            case INTS -> {
                for (long value : attribute.asInts()) {
                    builder.addInts(value);
                }
            }
            case STRINGS -> {
                for (byte[] value : attribute.asByteStrings()) {
                    builder.addStrings(ByteString.copyFrom(value));
                }
            }
            case TENSORS -> {
                for (int i = 0; i < attribute.asTensors().size(); i++) {
                    Tensor tensor = attribute.asTensors().get(i);
                    builder.addTensors(tensors.encode(tensor, tensor.name(), where.then("tensors[" + i + "]")));
                }
            }
            case GRAPHS -> {
                for (int i = 0; i < attribute.asGraphs().size(); i++) {
                    builder.addGraphs(subgraphs.apply(attribute.asGraphs().get(i), where.then("graphs[" + i + "]")));
                }
            }
            case SPARSE_TENSORS -> {
                for (int i = 0; i < attribute.asSparseTensors().size(); i++) {
                    SparseTensor tensor = attribute.asSparseTensors().get(i);
                    builder.addSparseTensors(tensors.encodeSparse(tensor, tensor.name(),
                            where.then("sparse_tensors[" + i + "]")));
                }
            }
            case TYPE_PROTOS -> {
                for (ValueType type : attribute.asTypes()) {
                    builder.addTypeProtos(TypeCodec.encode(type));
                }
            }
        }
        return builder.build();
    }
}
