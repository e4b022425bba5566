package dev.tern.server.internal;

import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.client.Datatypes;
import dev.tern.server.client.RawTensors;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelInferResponse.InferOutputTensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the response of an inference: the requested outputs, in raw form. */
public final class OutputEncoder {
    private OutputEncoder() {
    }

    /**
     * The output names {@code request} asks for, in its order; every output of the model when it names none.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT for an unknown or repeated output name
     */
    public static List<String> requestedOutputs(ModelInferRequest request, ModelVersion model) {
        List<String> known = model.outputs().stream().map(Signature::name).toList();
        if (request.getOutputsCount() == 0) {
            return known;
        }
        Set<String> requested = new LinkedHashSet<>();
        for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
            if (!known.contains(output.getName())) {
                throw Status.invalidArgument(model.describe() + " has no output '" + output.getName()
                        + "'; its outputs are " + known).asException();
            }
            if (!requested.add(output.getName())) {
                throw Status.invalidArgument(model.describe() + ": output '" + output.getName()
                        + "' is requested more than once").asException();
            }
        }
        return new ArrayList<>(requested);
    }

    /** The response carrying {@code names} from {@code results}, data in {@code raw_output_contents}. */
    public static ModelInferResponse encode(ModelInferRequest request, ModelVersion model, Map<String, Tensor> results,
                                            List<String> names) {
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
                .setModelName(model.name())
                .setModelVersion(Long.toString(model.version()))
                .setId(request.getId());
        for (String name : names) {
            Tensor tensor = results.get(name);
            String datatype = Datatypes.name(tensor.elementType()).orElseThrow(() -> Status.internal(model.describe()
                    + ": output '" + name + "' has element type " + tensor.elementType().onnxName()
                    + ", which the protocol cannot carry").asException());
            InferOutputTensor.Builder output = response.addOutputsBuilder().setName(name).setDatatype(datatype);
            for (long dim : tensor.dims()) {
                output.addShape(dim);
            }
            response.addRawOutputContents(RawTensors.fromTensor(tensor));
        }
        return response.build();
    }
}
