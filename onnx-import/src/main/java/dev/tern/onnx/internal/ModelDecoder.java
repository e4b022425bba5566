package dev.tern.onnx.internal;

import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.TrainingInfo;
import dev.tern.onnx.internal.proto.OnnxProtos.AttributeProto;
import dev.tern.onnx.internal.proto.OnnxProtos.FunctionProto;
import dev.tern.onnx.internal.proto.OnnxProtos.ModelProto;
import dev.tern.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import dev.tern.onnx.internal.proto.OnnxProtos.TrainingInfoProto;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a parsed {@code ModelProto} into a {@link Model}: version checks, opset imports,
 * metadata, the main graph, model-local functions and training info. The multi-device
 * configurations and any fields of a newer schema become the model's opaque fields. The model
 * comes out {@linkplain Model#clearModified() unmodified}.
 */
public final class ModelDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ModelDecoder.class);

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
     * Decodes {@code proto}. A model of a newer IR version than Tern knows is read anyway, with
     * one warning logged.
     *
     * @throws dev.tern.onnx.ModelFormatException naming the source and field at fault
     */
    public Model decode(ModelProto proto) {
        if (!proto.hasIrVersion() || proto.getIrVersion() <= 0) {
            throw where.fail("ir_version is missing; every ONNX model must state it");
        }
        if (proto.getIrVersion() > Model.LATEST_IR_VERSION) {
            LOG.warn("{}: ir_version {} is newer than the newest Tern knows ({}); reading it anyway, and keeping"
                    + " the fields Tern does not know as they are", where, proto.getIrVersion(),
                    Model.LATEST_IR_VERSION);
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
        StringEntries.putAll(model.metadataProps(), proto.getMetadataPropsList());
        for (FunctionProto function : proto.getFunctionsList()) {
            model.functions().add(function(function));
        }
        for (int i = 0; i < proto.getTrainingInfoCount(); i++) {
            model.trainingInfo().add(trainingInfo(proto.getTrainingInfo(i), where.then("training_info[" + i + "]")));
        }
        model.setOpaqueFields(OpaqueFieldCodec.fieldsOf(ModelProto.newBuilder()
                .addAllConfiguration(proto.getConfigurationList())
                .setUnknownFields(proto.getUnknownFields())
                .build()));
        model.clearModified();
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
        StringEntries.putAll(function.metadataProps(), proto.getMetadataPropsList());
        function.setOpaqueFields(OpaqueFieldCodec.unknownFieldsOf(proto));
        return function;
    }

    private TrainingInfo trainingInfo(TrainingInfoProto proto, Where at) {
        TrainingInfo info = new TrainingInfo();
        if (proto.hasInitialization()) {
            info.setInitialization(graphs.decodeDetached(proto.getInitialization(), at.then("initialization")));
        }
        if (proto.hasAlgorithm()) {
            info.setAlgorithm(graphs.decodeDetached(proto.getAlgorithm(), at.then("algorithm")));
        }
        StringEntries.putAll(info.initializationBindings(), proto.getInitializationBindingList());
        StringEntries.putAll(info.updateBindings(), proto.getUpdateBindingList());
        info.setOpaqueFields(OpaqueFieldCodec.unknownFieldsOf(proto));
        return info;
    }

    private static void putOpsets(Map<String, Long> target, List<OperatorSetIdProto> opsets, Where where) {
        for (OperatorSetIdProto opset : opsets) {
            if (target.put(opset.getDomain(), opset.getVersion()) != null) {
                throw where.fail("opset_import lists domain '" + opset.getDomain() + "' twice");
            }
        }
    }
}
