package dev.tern.server.client;

import dev.tern.ir.Tensor;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import dev.tern.server.proto.ModelInferRequest;
import dev.tern.server.proto.ModelMetadataRequest;
import dev.tern.server.proto.ModelMetadataResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A model on a server reached over gRPC with grpc-java. Tensors travel as
 * {@code raw_input_contents}, the protocol's compact form. One HTTP/2 connection carries
 * every thread's calls, as a real client's would.
 */
public final class GrpcConnection implements ServerConnection {
    private final ManagedChannel channel;
    private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    private final String model;
    private final String version;

    /** @param version the model version, or empty for the server's choice */
    public GrpcConnection(String host, int port, String model, String version) {
        this(host, port, model, version, Optional.empty());
    }

    /**
     * @param version the model version, or empty for the server's choice
     * @param bearerToken sent as {@code authorization: Bearer <token>} with every call, if present
     */
    public GrpcConnection(String host, int port, String model, String version, Optional<String> bearerToken) {
        // The calling thread blocks anyway; a direct executor saves a thread hop per response.
        this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor()
                .maxInboundMessageSize(Integer.MAX_VALUE).build();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub plain = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        this.stub = bearerToken.map(token -> plain.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                authorization(token)))).orElse(plain);
        this.model = model;
        this.version = version;
    }

    @Override
    public List<InputMetadata> inputs() {
        ModelMetadataResponse metadata;
        try {
            metadata = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(model).setVersion(version).build());
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
        return KServeMessages.inputs(metadata);
    }

    @Override
    public InferenceCall newCall(List<Tensor> inputs) {
        ModelInferRequest built = KServeMessages.inferRequest(model, version, inputs);
        return new InferenceCall() {
            @Override
            public void run() {
                try {
                    stub.modelInfer(built);
                } catch (StatusRuntimeException e) {
                    throw failure(e);
                }
            }

            @Override
            public void close() {
                // Nothing of its own: the channel belongs to the connection.
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Metadata authorization(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return headers;
    }

    private static RemoteCallFailure failure(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        return new RemoteCallFailure(e.getStatus().getCode().name(), description == null ? "" : description);
    }
}
