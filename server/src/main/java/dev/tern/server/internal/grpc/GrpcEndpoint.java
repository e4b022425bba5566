package dev.tern.server.internal.grpc;

import dev.tern.server.Deadline;
import dev.tern.server.InferenceService;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.ModelConfigRequest;
import dev.tern.server.proto.ModelConfigResponse;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelInferResponse;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelMetadataResponse;
import dev.tern.server.proto.ModelReadyRequest;
import dev.tern.server.proto.ModelReadyResponse;
import dev.tern.server.proto.ModelStatisticsRequest;
import dev.tern.server.proto.ModelStatisticsResponse;
import dev.tern.server.proto.ModelStreamInferResponse;
import dev.tern.server.proto.RepositoryIndexRequest;
import dev.tern.server.proto.RepositoryIndexResponse;
import dev.tern.server.proto.RepositoryModelLoadRequest;
import dev.tern.server.proto.RepositoryModelLoadResponse;
import dev.tern.server.proto.RepositoryModelUnloadRequest;
import dev.tern.server.proto.RepositoryModelUnloadResponse;
import dev.tern.server.proto.ServerLiveRequest;
import dev.tern.server.proto.ServerLiveResponse;
import dev.tern.server.proto.ServerMetadataRequest;
import dev.tern.server.proto.ServerMetadataResponse;
import dev.tern.server.proto.ServerReadyRequest;
import dev.tern.server.proto.ServerReadyResponse;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gRPC adapter: each call of {@code inference.GRPCInferenceService} handed to the
 * {@link InferenceService}, and its {@link dev.tern.server.Status} turned into a gRPC status.
 * Holds no protocol logic. Inferences are answered when their future completes, on the model's
 * worker thread, so the transport thread that called in is free for the connection's next call.
 */
public final class GrpcEndpoint extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceService service;

    public GrpcEndpoint(InferenceService service) {
        this.service = service;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
        answer(observer, () -> ServerLiveResponse.newBuilder().setLive(service.serverLive()).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
        answer(observer, () -> ServerReadyResponse.newBuilder().setReady(service.serverReady()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
        answer(observer, () -> ModelReadyResponse.newBuilder().setReady(service.modelReady(request)).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
        answer(observer, service::serverMetadata);
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
        answer(observer, () -> service.modelMetadata(request));
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> observer) {
        answer(observer, () -> service.modelConfig(request));
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> observer) {
        answer(observer, () -> service.modelStatistics(request));
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
        service.modelInfer(request, deadline()).whenComplete((response, error) -> {
            if (error != null) {
                observer.onError(GrpcStatuses.toGrpc(error));
            } else {
                observer.onNext(response);
                observer.onCompleted();
            }
        });
    }

    @Override
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> observer) {
        return new InferStream(service, observer, GrpcEndpoint::deadline);
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> observer) {
        answer(observer, () -> service.repositoryIndex(request));
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request,
                                    StreamObserver<RepositoryModelLoadResponse> observer) {
        answer(observer, () -> {
            service.repositoryModelLoad(request);
            return RepositoryModelLoadResponse.getDefaultInstance();
        });
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request,
                                      StreamObserver<RepositoryModelUnloadResponse> observer) {
        answer(observer, () -> {
            service.repositoryModelUnload(request);
            return RepositoryModelUnloadResponse.getDefaultInstance();
        });
    }

    /** The client's deadline for the current call, if it set one. */
    private static Deadline deadline() {
        io.grpc.Deadline grpcDeadline = Context.current().getDeadline();
        if (grpcDeadline == null) {
            return Deadline.none();
        }
        return Deadline.after(Duration.ofNanos(Math.max(0, grpcDeadline.timeRemaining(TimeUnit.NANOSECONDS))));
    }

    private static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            observer.onError(GrpcStatuses.toGrpc(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }
}
