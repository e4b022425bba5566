package dev.tern.server.internal.cache;

import dev.tern.ir.Tensor;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What identifies an answer in the {@link ResponseCache}: the loaded model version (the object,
 * so a reloaded version never sees its predecessor's answers) and a SHA-256 digest of what
 * decides the answer: every input's name, element type, shape and bytes (however the request
 * encoded them), the requested outputs with their parameters, and the request's parameters but
 * those that only say how the request waits or how the transport encodes the answer.
 */
record CacheKey(ModelVersion version, ByteBuffer digest) {
    /** Request parameters that do not change the answer's outputs. */
    private static final Set<String> NEUTRAL_PARAMETERS = Set.of("priority", "timeout", "binary_data_output");

    static CacheKey of(ModelVersion version, Map<String, Tensor> inputs, ModelInferRequest request) {
        MessageDigest digest = sha256();
        for (Map.Entry<String, Tensor> input : new TreeMap<>(inputs).entrySet()) {
            Tensor tensor = input.getValue();
            text(digest, input.getKey());
            text(digest, tensor.elementType().name());
            longs(digest, tensor.dims());
            if (tensor.elementType() == dev.tern.ir.ElementType.STRING) {
                longs(digest, new long[] {tensor.strings().size()});
                tensor.strings().forEach(element -> bytes(digest, element));
            } else {
                longs(digest, new long[] {tensor.byteSize()});
                digest.update(tensor.data());
            }
        }
        longs(digest, new long[] {request.getOutputsCount()});
        for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
            text(digest, output.getName());
            parameters(digest, output.getParametersMap());
        }
        Map<String, InferParameter> parameters = new TreeMap<>(request.getParametersMap());
        parameters.keySet().removeAll(NEUTRAL_PARAMETERS);
        parameters(digest, parameters);
        return new CacheKey(version, ByteBuffer.wrap(digest.digest()));
    }

    private static void parameters(MessageDigest digest, Map<String, InferParameter> parameters) {
        longs(digest, new long[] {parameters.size()});
        new TreeMap<>(parameters).forEach((name, value) -> {
            text(digest, name);
            bytes(digest, value.toByteArray());
        });
    }

    /** Length-prefixed, so that no two sequences of fields hash the same bytes. */
    private static void text(MessageDigest digest, String text) {
        bytes(digest, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(MessageDigest digest, byte[] bytes) {
        longs(digest, new long[] {bytes.length});
        digest.update(bytes);
    }

    private static void longs(MessageDigest digest, long[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + 8 * values.length).putLong(values.length);
        for (long value : values) {
            buffer.putLong(value);
        }
        digest.update(buffer.array());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
