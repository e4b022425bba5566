package dev.tern.server.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.server.Status;
import dev.tern.server.StatusException;
import dev.tern.server.proto.ModelRepositoryParameter;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body of a REST model load: empty, or Triton's {"parameters": {...}}. */
class JsonModelLoadTest {
    @Test
    void anEmptyBodyLoadsWithoutParameters() {
        RepositoryModelLoadRequest request = JsonModelLoad.parse("m", new byte[0]);
        assertEquals("m", request.getModelName());
        assertEquals(Map.of(), request.getParametersMap());
    }

    @Test
    void parametersKeepTheirJsonTypes() {
        RepositoryModelLoadRequest request = parse("{\"parameters\": {\"adapters_only\": true, \"n\": 3, \"s\": \"x\"}}");
        assertEquals(Map.of(
                "adapters_only", ModelRepositoryParameter.newBuilder().setBoolParam(true).build(),
                "n", ModelRepositoryParameter.newBuilder().setInt64Param(3).build(),
                "s", ModelRepositoryParameter.newBuilder().setStringParam("x").build()), request.getParametersMap());
    }

    @Test
    void aParameterOfAnotherTypeIsInvalidAndNamed() {
        Status status = assertThrows(StatusException.class, () -> parse("{\"parameters\": {\"x\": [1]}}")).status();
        assertEquals(Status.Code.INVALID_ARGUMENT, status.code());
        assertEquals("load parameter 'x' must be a boolean, an integer or a string, found [1]", status.message());
    }

    @Test
    void malformedJsonIsInvalid() {
        Status status = assertThrows(StatusException.class, () -> parse("{\"parameters\": ")).status();
        assertEquals(Status.Code.INVALID_ARGUMENT, status.code());
        assertTrue(status.message().startsWith("the load request body is not valid JSON"), status.message());
    }

    private static RepositoryModelLoadRequest parse(String body) {
        return JsonModelLoad.parse("m", body.getBytes(StandardCharsets.UTF_8));
    }
}
