package dev.tern.server.internal;

import com.google.protobuf.Message;
import dev.tern.server.Status;
import dev.tern.server.proto.InferParameter;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelRepositoryParameter;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import java.util.Optional;

/**
 * The protocol parameters of LoRA adapters: an inference's request-level {@code "adapter"} names
 * the adapter to run with; a model load with {@code "adapters_only": true} rescans the loaded
 * versions' adapter folders instead of reloading the model; the model metadata lists the
 * adapters under {@code "adapters"}.
 */
final class AdapterParameters {
    /** The inference parameter naming the adapter. */
    static final String ADAPTER = "adapter";
    /** The model load parameter that rescans adapters only. */
    static final String ADAPTERS_ONLY = "adapters_only";
    /** The model metadata parameter listing the adapters. */
    static final String ADAPTERS = "adapters";

    private AdapterParameters() {
    }

    /**
     * The adapter {@code request} asks for, if any.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT if the parameter is not a string
     */
    static Optional<String> requested(ModelInferRequest request) {
        InferParameter adapter = request.getParametersMap().get(ADAPTER);
        if (adapter == null) {
            return Optional.empty();
        }
        if (adapter.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.STRING_PARAM) {
            throw Status.invalidArgument("model '" + request.getModelName() + "': parameter '" + ADAPTER
                    + "' must be a string naming a LoRA adapter, found " + describe(adapter)).asException();
        }
        return Optional.of(adapter.getStringParam());
    }

    /**
     * Whether {@code request} asks to rescan the model's adapters only.
     *
     * @throws dev.tern.server.StatusException INVALID_ARGUMENT if the parameter is not a boolean
     */
    static boolean adaptersOnly(RepositoryModelLoadRequest request) {
        ModelRepositoryParameter only = request.getParametersMap().get(ADAPTERS_ONLY);
        if (only == null) {
            return false;
        }
        if (only.getParameterChoiceCase() != ModelRepositoryParameter.ParameterChoiceCase.BOOL_PARAM) {
            throw Status.invalidArgument("loading model '" + request.getModelName() + "': parameter '"
                    + ADAPTERS_ONLY + "' must be true or false, found " + describe(only)).asException();
        }
        return only.getBoolParam();
    }

    /** The metadata parameter listing {@code names}. */
    static InferParameter listing(Iterable<String> names) {
        return InferParameter.newBuilder().setStringParam(String.join(",", names)).build();
    }

    /** A parameter's one field as "string_param 'yes'", or "no value" when none is set. */
    private static String describe(Message parameter) {
        return parameter.getAllFields().entrySet().stream()
                .map(field -> field.getKey().getName() + " '" + field.getValue() + "'")
                .findFirst().orElse("no value");
    }
}
