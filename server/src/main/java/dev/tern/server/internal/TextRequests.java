package dev.tern.server.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.server.Status;
import dev.tern.server.internal.repository.ModelVersion;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferRequest.InferInputTensor;
import dev.tern.server.proto.ModelMetadataResponse;
import java.util.List;
import java.util.Map;

/**
 * Inference requests that send text instead of tokens, as Triton's Python-backend models take
 * strings: one BYTES input named {@value #TEXT} whose elements (any shape) are the texts, one row
 * of the model's inputs each, which the version's {@link dev.tern.server.internal.repository.VersionTokenizer}
 * fills. The metadata of a version that takes text says so in its parameters {@value #TEXT_INPUT}
 * (the input's name) and {@value #MAX_TOKENS}.
 */
final class TextRequests {
    /** The input that carries texts. */
    static final String TEXT = "text";
    /** The metadata parameter naming the text input of a version that takes text. */
    static final String TEXT_INPUT = "text_input";
    /** The metadata parameter giving the most tokens a text may have. */
    static final String MAX_TOKENS = "max_tokens";
    /** Any shape of strings: the texts are its elements in order. */
    private static final Signature TEXTS = new Signature(TEXT, ElementType.STRING, "BYTES", new long[0], false);

    private TextRequests() {
    }

    /** Whether {@code request} sends text: it has an input {@value #TEXT}, which {@code model} itself lacks. */
    static boolean sendsText(ModelInferRequest request, ModelVersion model) {
        return request.getInputsList().stream().anyMatch(input -> input.getName().equals(TEXT))
                && model.inputs().stream().noneMatch(input -> input.name().equals(TEXT));
    }

    /**
     * The model's inputs for the texts {@code request} sends.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT naming the model when the request
     *     sends other inputs beside the text, the text input is no BYTES or has no element, the
     *     model takes no text, or a text is too long for it
     */
    static Map<String, Tensor> inputs(ModelInferRequest request, ModelVersion model) {
        if (request.getInputsCount() != 1) {
            List<String> names = request.getInputsList().stream().map(InferInputTensor::getName).toList();
            throw Status.invalidArgument(model.describe() + ": a request that sends '" + TEXT + "' sends no other"
                    + " input, since the server makes the model's inputs from the text; found inputs " + names)
                    .asException();
        }
        List<String> texts = InputDecoder.decode(request, model.describe(), List.of(TEXTS)).get(TEXT).stringsUtf8();
        if (texts.isEmpty()) {
            throw Status.invalidArgument(model.describe() + ": input '" + TEXT + "' holds no text").asException();
        }
        return model.tokenizer().encode(texts);
    }

    /** Adds {@value #TEXT_INPUT} and {@value #MAX_TOKENS} to the metadata of {@code model} if it takes text. */
    static void describe(ModelVersion model, ModelMetadataResponse.Builder metadata) {
        model.tokenizer().maxTokens().ifPresent(max -> metadata
                .putParameters(TEXT_INPUT, InferParameter.newBuilder().setStringParam(TEXT).build())
                .putParameters(MAX_TOKENS, InferParameter.newBuilder().setInt64Param(max).build()));
    }
}
