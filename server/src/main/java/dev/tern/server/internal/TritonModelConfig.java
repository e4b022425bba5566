package dev.tern.server.internal;

import dev.tern.exec.Provider;
import dev.tern.exec.SessionConfig;
import dev.tern.server.internal.repository.ModelConfig;
import dev.tern.server.client.Datatypes;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.internal.repository.Priorities;
import dev.tern.server.internal.repository.QueuePolicy;
import dev.tern.server.internal.repository.WarmupInput;
import dev.tern.server.internal.repository.WarmupSample;
import dev.tern.server.proto.DataType;
import dev.tern.server.proto.ModelDynamicBatching;
import dev.tern.server.proto.ModelInput;
import dev.tern.server.proto.ModelInstanceGroup;
import dev.tern.server.proto.ModelOutput;
import dev.tern.server.proto.ModelQueuePolicy;
import dev.tern.server.proto.ModelResponseCache;
import dev.tern.server.proto.ModelWarmup;
import dev.tern.server.proto.ModelVersionPolicy;
import java.util.Arrays;

/**
 * A loaded model version's effective configuration as Triton's {@code ModelConfig} message:
 * what its {@code config.json} set or left to the defaults, with the inputs and outputs the
 * server checks requests against. As in Triton, with {@code max_batch_size} > 0 the dims leave
 * out the batch dimension.
 */
final class TritonModelConfig {
    /** Triton's backend name for ONNX Runtime, beside the platform {@code onnxruntime_onnx}. */
    static final String BACKEND = "onnxruntime";
    private static final String MODEL_FILE = "model.onnx";

    private TritonModelConfig() {
    }

    static dev.tern.server.proto.ModelConfig of(ModelVersion model) {
        ModelConfig config = model.config();
        dev.tern.server.proto.ModelConfig.Builder message = dev.tern.server.proto.ModelConfig.newBuilder()
                .setName(model.name())
                .setPlatform(model.platform())
                .setBackend(BACKEND)
                .setVersionPolicy(ModelVersionPolicy.newBuilder().setAll(ModelVersionPolicy.All.getDefaultInstance()))
                .setMaxBatchSize(config.maxBatchSize())
                .setDefaultModelFilename(MODEL_FILE)
                .addInstanceGroup(instances(model.name(), config))
                .setResponseCache(ModelResponseCache.newBuilder().setEnable(config.responseCache()));
        int batchDims = config.maxBatchSize() > 0 ? 1 : 0;
        for (Signature input : model.inputs()) {
            message.addInput(ModelInput.newBuilder().setName(input.name()).setDataType(dataType(input))
                    .addAllDims(dims(input, batchDims)));
        }
        for (Signature output : model.outputs()) {
            message.addOutput(ModelOutput.newBuilder().setName(output.name()).setDataType(dataType(output))
                    .addAllDims(dims(output, batchDims)));
        }
        config.dynamicBatching().ifPresent(batching -> message.setDynamicBatching(dynamicBatching(batching)));
        config.warmup().forEach(sample -> message.addModelWarmup(warmup(sample)));
        return message.build();
    }

    private static ModelDynamicBatching dynamicBatching(ModelConfig.Batching batching) {
        Priorities priorities = batching.priorities();
        ModelDynamicBatching.Builder message = ModelDynamicBatching.newBuilder()
                .addAllPreferredBatchSize(batching.preferredBatchSizes().stream().sorted()
                        .map(Math::toIntExact).toList())
                .setMaxQueueDelayMicroseconds(batching.maxQueueDelayMicros())
                .setDefaultQueuePolicy(queuePolicy(priorities.defaultPolicy()));
        if (priorities.prioritized()) {
            message.setPriorityLevels(priorities.levels()).setDefaultPriorityLevel(priorities.defaultLevel());
            priorities.levelPolicies().forEach((level, policy) ->
                    message.putPriorityQueuePolicy(level.longValue(), queuePolicy(policy)));
        }
        return message.build();
    }

    private static ModelQueuePolicy queuePolicy(QueuePolicy policy) {
        return ModelQueuePolicy.newBuilder()
                .setTimeoutAction(ModelQueuePolicy.TimeoutAction.valueOf(policy.timeoutAction().name()))
                .setDefaultTimeoutMicroseconds(policy.defaultTimeoutMicros())
                .setAllowTimeoutOverride(policy.allowTimeoutOverride())
                .setMaxQueueSize(policy.maxQueueSize())
                .build();
    }

    private static ModelWarmup warmup(WarmupSample sample) {
        ModelWarmup.Builder warmup = ModelWarmup.newBuilder().setName(sample.name())
                .setBatchSize(sample.batchSize()).setCount(sample.count());
        for (WarmupInput input : sample.inputs()) {
            ModelWarmup.Input.Builder message = ModelWarmup.Input.newBuilder()
                    .setDataType(dataType(Datatypes.name(input.elementType()).orElseThrow()))
                    .addAllDims(Arrays.stream(input.dims()).boxed().toList());
            switch (input.source()) {
                case ZERO -> message.setZeroData(true);
                case RANDOM -> message.setRandomData(true);
                case FILE -> message.setInputDataFile(input.dataFile());
            }
            warmup.putInputs(input.name(), message.build());
        }
        return warmup.build();
    }

    private static ModelInstanceGroup instances(String model, ModelConfig config) {
        SessionConfig session = config.sessionConfig();
        ModelInstanceGroup.Builder group = ModelInstanceGroup.newBuilder()
                .setName(model + "_0")
                .setCount(config.instanceCount());
        if (session.provider() == Provider.CUDA) {
            return group.setKind(ModelInstanceGroup.Kind.KIND_GPU).addGpus(session.deviceId()).build();
        }
        return group.setKind(ModelInstanceGroup.Kind.KIND_CPU).build();
    }

    private static DataType dataType(Signature signature) {
        return dataType(signature.datatype());
    }

    /** Triton's name for a protocol datatype: {@code TYPE_} before it, and BYTES called STRING. */
    private static DataType dataType(String datatype) {
        return DataType.valueOf("TYPE_" + (datatype.equals("BYTES") ? "STRING" : datatype));
    }

    private static java.util.List<Long> dims(Signature signature, int batchDims) {
        long[] shape = signature.shape();
        return Arrays.stream(shape, Math.min(batchDims, shape.length), shape.length).boxed().toList();
    }
}
