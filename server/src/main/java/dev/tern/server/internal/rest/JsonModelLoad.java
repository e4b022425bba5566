package dev.tern.server.internal.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.proto.ModelRepositoryParameter;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the body of {@code POST /v2/repository/models/{m}/load}, as Triton's REST API has it:
 * empty, or {@code {"parameters": {"name": value, ...}}} with boolean, integer or string values.
 */
final class JsonModelLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonModelLoad() {
    }

    /**
     * The load request for model {@code name} that {@code body} describes.
     *
     * @throws StatusException INVALID_ARGUMENT naming the field for malformed JSON or a parameter of another type
     */
    static RepositoryModelLoadRequest parse(String name, byte[] body) {
        RepositoryModelLoadRequest.Builder request = RepositoryModelLoadRequest.newBuilder().setModelName(name);
        if (body.length == 0) {
            return request.build();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("the load request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("the load request body cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return request.build();
        }
        if (!root.isObject()) {
            throw invalid("the load request body must be a JSON object, found " + root.getNodeType());
        }
        JsonNode parameters = root.get("parameters");
        if (parameters == null) {
            return request.build();
        }
        if (!parameters.isObject()) {
            throw invalid("the load request's 'parameters' must be an object, found " + parameters.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = parameters.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            request.putParameters(field.getKey(), parameter(field.getKey(), field.getValue()));
        }
        return request.build();
    }

    private static ModelRepositoryParameter parameter(String name, JsonNode value) {
        ModelRepositoryParameter.Builder parameter = ModelRepositoryParameter.newBuilder();
        if (value.isBoolean()) {
            return parameter.setBoolParam(value.booleanValue()).build();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return parameter.setInt64Param(value.longValue()).build();
        }
        if (value.isTextual()) {
            return parameter.setStringParam(value.textValue()).build();
        }
        throw invalid("load parameter '" + name + "' must be a boolean, an integer or a string, found " + value);
    }

    private static StatusException invalid(String message) {
        return Status.invalidArgument(message).asException();
    }
}
