package dev.tern.server.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tern.ir.Tensor;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a cached answer is keyed by: the tensors and what changes the answer, nothing else. */
class CacheKeyTest {
    private static final Map<String, Tensor> INPUTS = Map.of(
            "x", Tensor.ofFloats("x", new long[] {1, 2}, 1f, 2f),
            "ids", Tensor.ofLongs("ids", new long[] {1}, 7));

    @Test
    void waitingParametersDoNotChangeTheKeyButOtherParametersAndOutputsDo() {
        ModelInferRequest plain = ModelInferRequest.newBuilder().setModelName("m").setId("a").build();
        ModelInferRequest waiting = plain.toBuilder().setId("b")
                .putParameters("priority", InferParameter.newBuilder().setInt64Param(1).build())
                .putParameters("timeout", InferParameter.newBuilder().setInt64Param(5000).build()).build();
        ModelInferRequest other = plain.toBuilder()
                .putParameters("temperature", InferParameter.newBuilder().setDoubleParam(0.5).build()).build();
        ModelInferRequest oneOutput = plain.toBuilder().addOutputs(
                ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y")).build();

        assertEquals(key(plain, INPUTS), key(waiting, INPUTS));
        assertNotEquals(key(plain, INPUTS), key(other, INPUTS));
        assertNotEquals(key(plain, INPUTS), key(oneOutput, INPUTS));
    }

    @Test
    void everyTensorPropertyIsPartOfTheKey() {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("m").build();
        CacheKey key = key(request, INPUTS);

        assertNotEquals(key, key(request, Map.of("x", Tensor.ofFloats("x", new long[] {1, 2}, 1f, 3f),
                "ids", INPUTS.get("ids"))), "bytes");
        assertNotEquals(key, key(request, Map.of("x", Tensor.ofFloats("x", new long[] {2, 1}, 1f, 2f),
                "ids", INPUTS.get("ids"))), "shape");
        assertNotEquals(key, key(request, Map.of("x", INPUTS.get("x"),
                "ids", Tensor.ofInts("ids", new long[] {2}, 7, 0))), "type, with the same bytes");
        assertNotEquals(key, key(request, Map.of("z", INPUTS.get("x"), "ids", INPUTS.get("ids"))), "name");
    }

    private static CacheKey key(ModelInferRequest request, Map<String, Tensor> inputs) {
        // No model version: these keys are compared by their digests alone.
        return CacheKey.of(null, inputs, request);
    }
}
