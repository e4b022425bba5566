package dev.tern.server.internal.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelMetadataResponse;
import dev.tern.server.proto.RepositoryIndexResponse;
import dev.tern.server.proto.ServerMetadataResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;

/** The REST transport's JSON bodies, written from the protocol's messages. */
final class RestJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private RestJson() {
    }

    static String errorBody(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    static byte[] serverMetadata(ServerMetadataResponse metadata) {
        ObjectNode node = JSON.createObjectNode().put("name", metadata.getName()).put("version", metadata.getVersion());
        ArrayNode extensions = node.putArray("extensions");
        metadata.getExtensionsList().forEach(extensions::add);
        return bytes(node);
    }

    static byte[] modelMetadata(ModelMetadataResponse metadata) {
        ObjectNode node = JSON.createObjectNode().put("name", metadata.getName());
        ArrayNode versions = node.putArray("versions");
        metadata.getVersionsList().forEach(versions::add);
        node.put("platform", metadata.getPlatform());
        tensors(node.putArray("inputs"), metadata.getInputsList());
        tensors(node.putArray("outputs"), metadata.getOutputsList());
        if (metadata.getParametersCount() > 0) {
            ObjectNode parameters = node.putObject("parameters");
            metadata.getParametersMap().forEach((name, value) -> parameter(parameters, name, value));
        }
        return bytes(node);
    }

    static byte[] repositoryIndex(RepositoryIndexResponse index) {
        ArrayNode models = JSON.createArrayNode();
        for (RepositoryIndexResponse.ModelIndex model : index.getModelsList()) {
            ObjectNode entry = models.addObject().put("name", model.getName());
            if (!model.getVersion().isEmpty()) {
                entry.put("version", model.getVersion());
            }
            entry.put("state", model.getState());
            if (!model.getReason().isEmpty()) {
                entry.put("reason", model.getReason());
            }
        }
        return bytes(models);
    }

    /**
     * The inference response: JSON, followed by the outputs asked for as binary, if any, with
     * the {@code Inference-Header-Content-Length} header saying where the JSON ends.
     */
    static RestResponse inferResponse(ModelInferResponse response, Set<String> binaryOutputs, boolean allBinary) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        try (JsonGenerator out = FACTORY.createGenerator(json)) {
            out.writeStartObject();
            out.writeStringField("model_name", response.getModelName());
            out.writeStringField("model_version", response.getModelVersion());
            if (!response.getId().isEmpty()) {
                out.writeStringField("id", response.getId());
            }
            out.writeArrayFieldStart("outputs");
            for (int i = 0; i < response.getOutputsCount(); i++) {
                ModelInferResponse.InferOutputTensor output = response.getOutputs(i);
                ByteString raw = response.getRawOutputContents(i);
                out.writeStartObject();
                out.writeStringField("name", output.getName());
                out.writeStringField("datatype", output.getDatatype());
                out.writeArrayFieldStart("shape");
                long count = 1;
                for (long dim : output.getShapeList()) {
                    out.writeNumber(dim);
                    count *= dim;
                }
                out.writeEndArray();
                if (allBinary || binaryOutputs.contains(output.getName())) {
                    out.writeObjectFieldStart("parameters");
                    out.writeNumberField("binary_data_size", raw.size());
                    out.writeEndObject();
                    raw.writeTo(binary);
                } else {
                    out.writeFieldName("data");
                    JsonTensorData.write(out, output.getDatatype(), raw, count, "output '" + output.getName() + "'");
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an inference response to memory", e);
        }
        if (binary.size() == 0) {
            return RestResponse.json(200, json.toByteArray());
        }
        int jsonLength = json.size();
        json.writeBytes(binary.toByteArray());
        return new RestResponse(200, RestResponse.JSON_AND_BINARY, json.toByteArray(),
                Map.of(RestRoutes.HEADER_LENGTH, Integer.toString(jsonLength)));
    }

    private static void parameter(ObjectNode parameters, String name, InferParameter value) {
        switch (value.getParameterChoiceCase()) {
            case BOOL_PARAM -> parameters.put(name, value.getBoolParam());
            case INT64_PARAM -> parameters.put(name, value.getInt64Param());
            case STRING_PARAM -> parameters.put(name, value.getStringParam());
            case DOUBLE_PARAM -> parameters.put(name, value.getDoubleParam());
            case UINT64_PARAM -> parameters.put(name, new BigInteger(Long.toUnsignedString(value.getUint64Param())));
            case PARAMETERCHOICE_NOT_SET -> parameters.putNull(name);
        }
    }

    private static void tensors(ArrayNode array, Iterable<ModelMetadataResponse.TensorMetadata> tensors) {
        for (ModelMetadataResponse.TensorMetadata tensor : tensors) {
            ObjectNode node = array.addObject().put("name", tensor.getName()).put("datatype", tensor.getDatatype());
            ArrayNode shape = node.putArray("shape");
            tensor.getShapeList().forEach(shape::add);
        }
    }

    /** {@code node} written as JSON. */
    static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON to memory", e);
        }
    }
}
