package dev.tern.server.internal.grpc;

import dev.tern.server.Deadline;
import dev.tern.server.InferenceService;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelStreamInferResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One {@code ModelStreamInfer} call: each request is answered in the order it came, a failed one
 * with its error message while the stream goes on, as the protocol's streaming call specifies;
 * the stream ends once the client has half-closed and every answer is written.
 *
 * <p>Answers complete on the models' worker threads, possibly out of order. Each one is written
 * only after the one before it, which keeps the order and keeps two threads from writing to
 * the stream at once.
 */
final class InferStream implements StreamObserver<ModelInferRequest> {
    private final InferenceService service;
    private final StreamObserver<ModelStreamInferResponse> responses;
    private final Supplier<Deadline> deadline;
    /**
     * Done once the last answer so far is written. Only the transport thread reads and replaces
     * it: grpc-java calls this observer's methods one at a time.
     */
    private CompletableFuture<Void> lastWritten = CompletableFuture.completedFuture(null);

    /** Answers into {@code responses}; each request runs under the call's {@code deadline} as it is when the request arrives. */
    InferStream(InferenceService service, StreamObserver<ModelStreamInferResponse> responses,
                Supplier<Deadline> deadline) {
        this.service = service;
        this.responses = responses;
        this.deadline = deadline;
    }

    @Override
    public void onNext(ModelInferRequest request) {
        CompletableFuture<ModelStreamInferResponse> reply = service.modelInfer(request, deadline.get())
                .handle(InferStream::reply);
        lastWritten = lastWritten.thenCombine(reply, (previous, next) -> next).thenAccept(responses::onNext);
    }

    @Override
    public void onError(Throwable error) {
        // The client cancelled or the transport failed: there is no one left to answer.
    }

    @Override
    public void onCompleted() {
        lastWritten = lastWritten.thenRun(responses::onCompleted);
    }

    private static ModelStreamInferResponse reply(ModelInferResponse response, Throwable error) {
        ModelStreamInferResponse.Builder reply = ModelStreamInferResponse.newBuilder();
        if (error != null) {
            reply.setErrorMessage(GrpcStatuses.toGrpc(error).getStatus().getDescription());
        } else {
            reply.setInferResponse(response);
        }
        return reply.build();
    }
}
