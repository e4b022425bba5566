package dev.tern.server.internal;

import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.client.Datatypes;
import dev.tern.server.client.RawTensors;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferRequest.InferInputTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an inference request's inputs against a model's signature and turns them into
 * tensors the model can run. Every message names the model, the input, and what was expected
 * versus found; nothing reaches the executor unless every input is right.
 */
public final class InputDecoder {
    private InputDecoder() {
    }

    /**
     * The request's inputs as tensors, keyed by input name.
     *
     * @param model names the model in messages ("model 'mlp' version 1")
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT for a missing, unknown or repeated
     *     input, a wrong datatype, shape or element count, or raw and typed contents mixed
     */
    public static Map<String, Tensor> decode(ModelInferRequest request, String model, List<Signature> inputs) {
        Map<String, Signature> byName = new LinkedHashMap<>();
        inputs.forEach(signature -> byName.put(signature.name(), signature));
        int rawCount = request.getRawInputContentsCount();
        if (rawCount > 0 && rawCount != request.getInputsCount()) {
            throw invalid(model + ": raw_input_contents has " + rawCount + " entries for "
                    + request.getInputsCount() + " inputs; it needs one per input, in order");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            InferInputTensor input = request.getInputs(i);
            Signature signature = byName.get(input.getName());
            if (signature == null) {
                throw invalid(model + " has no input '" + input.getName() + "'; its inputs are " + byName.keySet());
            }
            if (tensors.containsKey(input.getName())) {
                throw invalid(model + ": input '" + input.getName() + "' is given more than once");
            }
            ByteString raw = rawCount > 0 ? request.getRawInputContents(i) : null;
            tensors.put(input.getName(), decodeOne(input, raw, model, signature));
        }
        for (String name : byName.keySet()) {
            if (!tensors.containsKey(name)) {
                throw invalid(model + " needs input '" + name + "', which the request lacks; its inputs are "
                        + byName.keySet());
            }
        }
        return tensors;
    }

    private static Tensor decodeOne(InferInputTensor input, ByteString raw, String model, Signature signature) {
        String what = model + ": input '" + input.getName() + "'";
        ElementType type = Datatypes.elementType(input.getDatatype()).orElseThrow(() -> invalid(what
                + " has unknown datatype '" + input.getDatatype() + "'; expected " + signature.datatype()));
        if (type != signature.elementType()) {
            throw invalid(what + " has datatype " + signature.datatype() + ", found " + input.getDatatype());
        }
        long[] dims = input.getShapeList().stream().mapToLong(Long::longValue).toArray();
        long count = Shapes.elementCount(dims, what);
        if (!signature.accepts(dims)) {
            throw invalid(what + " needs shape " + signature.shapeText() + " (-1: any size), found "
                    + Arrays.toString(dims));
        }
        if (raw != null) {
            if (input.hasContents()) {
                throw invalid(what + " has 'contents' although the request uses raw_input_contents;"
                        + " a request sends all its inputs one way or the other");
            }
            return RawTensors.toTensor(input.getName(), type, dims, count, raw, what);
        }
        ByteString fromContents = TensorContents.toRaw(what, input.getDatatype(), type, input.getContents(), count);
        return RawTensors.toTensor(input.getName(), type, dims, count, fromContents, what);
    }

    private static StatusException invalid(String message) {
        return Status.invalidArgument(message).asException();
    }
}
