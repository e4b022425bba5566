package dev.tern.server.internal.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tern.ir.ElementType;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.client.Datatypes;
import dev.tern.server.internal.Shapes;
import dev.tern.server.internal.TensorContents;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.InferTensorContents;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferRequest.InferInputTensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the REST inference request, JSON with optional binary tensor data after it (the
 * binary tensor extension), into the protocol's {@link ModelInferRequest}, plus which outputs
 * the client wants back as binary.
 *
 * @param request the request as the service takes it
 * @param binaryOutputs outputs asked for with {@code "binary_data": true}
 * @param allOutputsBinary whether the request parameter {@code binary_data_output} is true
 */
public record JsonInferRequest(ModelInferRequest request, Set<String> binaryOutputs, boolean allOutputsBinary) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses {@code body}: its first {@code jsonLength} bytes are JSON (all of it when
     * {@code jsonLength} is negative) and the rest is binary tensor data, split among the inputs
     * that declare {@code binary_data_size}, in order.
     *
     * @throws StatusException INVALID_ARGUMENT naming the field for malformed JSON, a wrong field
     *     type, or binary sizes that do not add up
     */
    public static JsonInferRequest parse(String model, String version, byte[] body, int jsonLength) {
        if (jsonLength > body.length) {
            throw invalid("Inference-Header-Content-Length is " + jsonLength + " but the body has only "
                    + body.length + " bytes");
        }
        int headerLength = jsonLength < 0 ? body.length : jsonLength;
        JsonNode root = readJson(body, headerLength);
        if (!root.isObject()) {
            throw invalid("the inference request must be a JSON object, found " + root.getNodeType());
        }
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version);
        if (root.has("id")) {
            request.setId(text(root.get("id"), "'id'"));
        }
        boolean allBinary = false;
        JsonNode parameters = root.get("parameters");
        if (parameters != null) {
            request.putAllParameters(readParameters(parameters, "request 'parameters'"));
            allBinary = parameters.path("binary_data_output").asBoolean(false);
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw invalid("the inference request needs an 'inputs' array");
        }
        List<InputJson> parsed = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            parsed.add(InputJson.parse(inputs.get(i), i));
        }
        addInputs(request, parsed, body, headerLength);
        Set<String> binaryOutputs = new HashSet<>();
        JsonNode outputs = root.get("outputs");
        if (outputs != null) {
            if (!outputs.isArray()) {
                throw invalid("'outputs' must be an array, found " + outputs.getNodeType());
            }
            for (JsonNode output : outputs) {
                String name = text(output.get("name"), "an output's 'name'");
                request.addOutputsBuilder().setName(name);
                if (output.path("parameters").path("binary_data").asBoolean(false)) {
                    binaryOutputs.add(name);
                }
            }
        }
        return new JsonInferRequest(request.build(), Set.copyOf(binaryOutputs), allBinary);
    }

    /** One input as JSON gives it; {@code binarySize} is -1 when its data is in JSON. */
    private record InputJson(String name, String datatype, long[] shape, Map<String, InferParameter> parameters,
                             JsonNode data, long binarySize) {
        static InputJson parse(JsonNode input, int index) {
            if (!input.isObject()) {
                throw invalid("input " + index + " must be a JSON object, found " + input.getNodeType());
            }
            String name = text(input.get("name"), "input " + index + "'s 'name'");
            String what = "input '" + name + "'";
            String datatype = text(input.get("datatype"), what + ": 'datatype'");
            JsonNode shapeNode = input.get("shape");
            if (shapeNode == null || !shapeNode.isArray()) {
                throw invalid(what + " needs a 'shape' array of integers");
            }
            long[] shape = new long[shapeNode.size()];
            for (int axis = 0; axis < shape.length; axis++) {
                JsonNode dim = shapeNode.get(axis);
                if (!dim.canConvertToLong() || !dim.isIntegralNumber()) {
                    throw invalid(what + ": shape entry " + axis + " must be an integer, found " + dim);
                }
                shape[axis] = dim.longValue();
            }
            Map<String, InferParameter> parameters = input.has("parameters")
                    ? readParameters(input.get("parameters"), what + ": 'parameters'")
                    : Map.of();
            long binarySize = -1;
            InferParameter size = parameters.get("binary_data_size");
            if (size != null) {
                if (size.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.INT64_PARAM
                        || size.getInt64Param() < 0) {
                    throw invalid(what + ": 'binary_data_size' must be an integer >= 0");
                }
                binarySize = size.getInt64Param();
            } else if (!input.has("data")) {
                throw invalid(what + " has neither 'data' nor a 'binary_data_size' parameter");
            }
            return new InputJson(name, datatype, shape, parameters, input.get("data"), binarySize);
        }
    }

    private static void addInputs(ModelInferRequest.Builder request, List<InputJson> inputs, byte[] body,
                                  int headerLength) {
        boolean anyBinary = inputs.stream().anyMatch(input -> input.binarySize() >= 0);
        int offset = headerLength;
        for (InputJson input : inputs) {
            InferInputTensor.Builder tensor = request.addInputsBuilder()
                    .setName(input.name())
                    .setDatatype(input.datatype())
                    .putAllParameters(input.parameters());
            for (long dim : input.shape()) {
                tensor.addShape(dim);
            }
            if (input.binarySize() >= 0) {
                if (input.binarySize() > body.length - offset) {
                    throw invalid("input '" + input.name() + "' declares " + input.binarySize()
                            + " bytes of binary data, but only " + (body.length - offset) + " remain in the body");
                }
                request.addRawInputContents(ByteString.copyFrom(body, offset, (int) input.binarySize()));
                offset += (int) input.binarySize();
                continue;
            }
            InferTensorContents contents = JsonTensorData.contents(input.data(), input.datatype(), input.shape(),
                    "input '" + input.name() + "'");
            if (anyBinary) {
                // The protocol message carries all inputs raw or all typed: make this one raw too.
                String what = "input '" + input.name() + "'";
                ElementType type = Datatypes.elementType(input.datatype()).orElseThrow(() -> invalid(what
                        + " has unknown datatype '" + input.datatype() + "'"));
                long count = Shapes.elementCount(input.shape(), what);
                request.addRawInputContents(TensorContents.toRaw(what, input.datatype(), type, contents, count));
            } else {
                tensor.setContents(contents);
            }
        }
        if (offset != body.length) {
            throw invalid("the body has " + (body.length - offset) + " bytes of binary data that no input claims");
        }
    }

    /** The one JSON value in {@code body}'s first {@code length} bytes; anything after it but whitespace is refused. */
    private static JsonNode readJson(byte[] body, int length) {
        if (length == 0) {
            throw invalid("the inference request is empty; it needs a JSON object with 'inputs'");
        }
        try (JsonParser parser = JSON.createParser(body, 0, length)) {
            JsonNode root = JSON.readTree(parser);
            if (root == null) {
                throw invalid("the inference request is empty; it needs a JSON object with 'inputs'");
            }
            if (parser.nextToken() != null) {
                throw invalid("the inference request has more after its JSON value, from byte "
                        + parser.currentTokenLocation().getByteOffset() + " on; binary tensor data after the JSON"
                        + " needs the header " + RestRoutes.HEADER_LENGTH + " giving the JSON's length");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw invalid("malformed JSON in the inference request: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("cannot read the inference request: " + e.getMessage());
        }
    }

    /** JSON parameters as the protocol's typed parameters. */
    static Map<String, InferParameter> readParameters(JsonNode node, String what) {
        if (!node.isObject()) {
            throw invalid(what + " must be a JSON object, found " + node.getNodeType());
        }
        Map<String, InferParameter> parameters = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            InferParameter.Builder parameter = InferParameter.newBuilder();
            if (value.isBoolean()) {
                parameter.setBoolParam(value.booleanValue());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                parameter.setInt64Param(value.longValue());
            } else if (value.isNumber()) {
                parameter.setDoubleParam(value.doubleValue());
            } else if (value.isTextual()) {
                parameter.setStringParam(value.textValue());
            } else {
                throw invalid(what + ": parameter '" + field.getKey() + "' must be a boolean, number or string, found "
                        + value.getNodeType());
            }
            parameters.put(field.getKey(), parameter.build());
        }
        return parameters;
    }

    private static String text(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw invalid(what + " must be a string" + (node == null ? ", but it is missing" : ", found " + node));
        }
        return node.textValue();
    }

    static StatusException invalid(String message) {
        return Status.invalidArgument(message).asException();
    }

    /** UTF-8 bytes of {@code text}; for BYTES elements given as JSON strings. */
    static ByteString utf8(String text) {
        return ByteString.copyFrom(text, StandardCharsets.UTF_8);
    }
}
