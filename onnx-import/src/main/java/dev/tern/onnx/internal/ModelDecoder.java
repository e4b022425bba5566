package dev.tern.onnx.internal;

import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.FunctionProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed {@code ModelProto} into a {@link Model}: version checks, opset imports,
 * metadata, the main graph and model-local functions. Training info, quantization
 * annotations and device configurations have no place in the IR and are not carried over.
 */
public final class ModelDecoder {
    private final GraphDecoder graphs;
    private final AttributeDecoder attributes;
    private final Where where;

    public ModelDecoder(ExternalDataResolver externalData, String source) {
        TensorDecoder tensors = new TensorDecoder(externalData);
        this.graphs = new GraphDecoder(tensors);
        this.attributes = new AttributeDecoder(tensors);
        this.where = Where.in(source);
    }

    /**
     * @throws dev.tern.onnx.ModelFormatException naming the source and field at fault
     */
    public Model decode(ModelProto proto) {
        if (!proto.hasIrVersion() || proto.getIrVersion() <= 0) {
            throw where.fail("ir_version is missing; every ONNX model must state it");
        }
        if (proto.getIrVersion() > Model.LATEST_IR_VERSION) {
            throw where.fail("ir_version " + proto.getIrVersion() + " is newer than the newest this version of"
                    + " Tern reads (" + Model.LATEST_IR_VERSION + ")");
        }
        if (!proto.hasGraph()) {
            throw where.fail("graph is missing; a model needs a main graph");
        }
        Model model = new Model(graphs.decodeMain(proto.getGraph(), where));
        model.setIrVersion(proto.getIrVersion());
        putOpsets(model.opsetImports(), proto.getOpsetImportList(), where);
        model.setProducerName(proto.getProducerName());
        model.setProducerVersion(proto.getProducerVersion());
        model.setDomain(proto.getDomain());
        model.setModelVersion(proto.getModelVersion());
        model.setDocString(proto.getDocString());
        GraphDecoder.putAll(model.metadataProps(), proto.getMetadataPropsList());
        for (FunctionProto function : proto.getFunctionsList()) {
            model.functions().add(function(function));
        }
        return model;
    }

    private Function function(FunctionProto proto) {
        String id = (proto.getDomain().isEmpty() ? "" : proto.getDomain() + "::") + proto.getName()
                + (proto.getOverload().isEmpty() ? "" : ":" + proto.getOverload());
        Where at = where.then("function '" + id + "'");
        Graph body = graphs.decodeFunctionBody(proto.getName(), proto.getInputList(), proto.getOutputList(),
                proto.getNodeList(), proto.getValueInfoList(), at);
        Function function = new Function(proto.getDomain(), proto.getName(), body);
        function.setOverload(proto.getOverload());
        function.setDocString(proto.getDocString());
        function.attributeNames().addAll(proto.getAttributeList());
        for (AttributeProto attribute : proto.getAttributeProtoList()) {
            Where attributeWhere = at.attribute(attribute.getName());
            function.attributeDefaults().add(attributes.decode(attribute, attributeWhere, graphs::decodeMain));
        }
        putOpsets(function.opsetImports(), proto.getOpsetImportList(), at);
        GraphDecoder.putAll(function.metadataProps(), proto.getMetadataPropsList());
        return function;
    }

    private static void putOpsets(Map<String, Long> target, List<OperatorSetIdProto> opsets, Where where) {
        for (OperatorSetIdProto opset : opsets) {
            if (target.put(opset.getDomain(), opset.getVersion()) != null) {
                throw where.fail("opset_import lists domain '" + opset.getDomain() + "' twice");
            }
        }
    }
}
