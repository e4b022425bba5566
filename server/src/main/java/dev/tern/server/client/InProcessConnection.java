package dev.tern.server.client;

import dev.tern.ir.Tensor;
import dev.tern.server.Deadline;
import dev.tern.server.InferenceService;
import dev.tern.server.StatusException;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelMetadataRequest;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * A model on an {@link InferenceService} in this JVM, called with no transport: the protocol
 * messages are built as for gRPC and handed to the service directly, so what it measures is the
 * server's own work (checks, batching, the run, the answer). Does not own the service.
 */
public final class InProcessConnection implements ServerConnection {
    private final InferenceService service;
    private final String model;
    private final String version;

    /** @param version the model version, or empty for the server's choice */
    public InProcessConnection(InferenceService service, String model, String version) {
        this.service = service;
        this.model = model;
        this.version = version;
    }

    @Override
    public List<InputMetadata> inputs() {
        try {
            return KServeMessages.inputs(service.modelMetadata(
                    ModelMetadataRequest.newBuilder().setName(model).setVersion(version).build()));
        } catch (StatusException e) {
            throw failure(e);
        }
    }

    @Override
    public InferenceCall newCall(List<Tensor> inputs) {
        ModelInferRequest request = KServeMessages.inferRequest(model, version, inputs);
        return new InferenceCall() {
            @Override
            public void run() {
                try {
                    service.modelInfer(request, Deadline.none()).join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof StatusException status) {
                        throw failure(status);
                    }
                    throw e;
                }
            }

            @Override
            public void close() {
                // Nothing of its own: the service belongs to the caller.
            }
        };
    }

    @Override
    public void close() {
        // Nothing of its own: the service belongs to the caller.
    }

    private static RemoteCallFailure failure(StatusException e) {
        return new RemoteCallFailure(e.status().code().name(), e.status().message());
    }
}
