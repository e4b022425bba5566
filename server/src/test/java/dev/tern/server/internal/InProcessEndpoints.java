package dev.tern.server.internal;

import dev.tern.exec.Runtime;
import dev.tern.server.ModelControl;
import dev.tern.server.internal.cache.ResponseCache;
import dev.tern.server.internal.grpc.GrpcEndpoint;
import dev.tern.server.internal.repository.ModelRepository;
import dev.tern.server.internal.rest.RestResponse;
import dev.tern.server.internal.rest.RestRoutes;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's two network adapters, REST routes and the gRPC endpoint, over a real service and
 * the {@link DatatypeModels} repository, called in process: a request goes through the same
 * decoding, checks and model run as over a socket, without the socket. Waits at most
 * {@link #ANSWER_TIMEOUT_SECONDS} for an answer, so a request that never completes fails.
 */
final class InProcessEndpoints implements AutoCloseable {
    static final long ANSWER_TIMEOUT_SECONDS = 10;

    private final Runtime runtime;
    private final ModelRepository repository;
    private final RestRoutes routes;
    private final GrpcEndpoint grpc;

    private InProcessEndpoints(Runtime runtime, ModelRepository repository) {
        ServerMetrics metrics = new ServerMetrics();
        RepositoryInferenceService service = new RepositoryInferenceService(repository, metrics, new ResponseCache(0), "fuzz");
        this.runtime = runtime;
        this.repository = repository;
        this.routes = new RestRoutes(service, metrics, AccessPolicy.open());
        this.grpc = new GrpcEndpoint(service);
    }

    /** Writes the repository into the empty folder {@code root} and loads every model. */
    static InProcessEndpoints start(Path root) throws IOException {
        DatatypeModels.writeRepository(root);
        Runtime runtime = Runtime.create();
        ModelRepository repository = new ModelRepository(root, runtime, ModelControl.NONE, new ServerMetrics());
        repository.loadAll();
        return new InProcessEndpoints(runtime, repository);
    }

    /** The answer to {@code POST path} with the binary extension's header (null when absent). */
    RestResponse post(String path, String headerLength, byte[] body) throws Exception {
        return await(routes.handle("POST", path, null, headerLength, body));
    }

    /** The gRPC status of {@code ModelInfer(request)}: OK, or the error the client would see. */
    Status infer(ModelInferRequest request) throws Exception {
        CompletableFuture<Status> answer = new CompletableFuture<>();
        grpc.modelInfer(request, new StreamObserver<>() {
            @Override
            public void onNext(ModelInferResponse response) {
                // The status is what the checks look at; the response's tensors are the model's.
            }

            @Override
            public void onError(Throwable error) {
                answer.complete(Status.fromThrowable(error));
            }

            @Override
            public void onCompleted() {
                answer.complete(Status.OK);
            }
        });
        return await(answer);
    }

    private static <T> T await(CompletableFuture<T> answer) throws InterruptedException, ExecutionException {
        try {
            return answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + ANSWER_TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        repository.close();
        runtime.close();
    }
}
