package dev.tern.server.client;

import dev.tern.ir.Tensor;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelMetadataResponse;
import java.util.List;

/** The protocol messages the gRPC and in-process connections share: requests built, metadata read. */
final class KServeMessages {
    private KServeMessages() {
    }

    /** An inference request for {@code model} carrying {@code inputs} as {@code raw_input_contents}. */
    static ModelInferRequest inferRequest(String model, String version, List<Tensor> inputs) {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version);
        for (Tensor tensor : inputs) {
            ModelInferRequest.InferInputTensor.Builder input = request.addInputsBuilder().setName(tensor.name())
                    .setDatatype(Datatypes.nameFor(tensor));
            for (long dim : tensor.dims()) {
                input.addShape(dim);
            }
            request.addRawInputContents(RawTensors.fromTensor(tensor));
        }
        return request.build();
    }

    /** @throws RemoteCallFailure naming an input whose datatype this client does not know */
    static List<InputMetadata> inputs(ModelMetadataResponse metadata) {
        return metadata.getInputsList().stream().map(input -> new InputMetadata(input.getName(),
                Datatypes.elementType(input.getDatatype()).orElseThrow(() -> new RemoteCallFailure("UNKNOWN",
                        "input '" + input.getName() + "' has unknown datatype " + input.getDatatype())),
                input.getShapeList().stream().mapToLong(Long::longValue).toArray())).toList();
    }
}
