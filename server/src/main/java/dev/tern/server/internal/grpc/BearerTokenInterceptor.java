package dev.tern.server.internal.grpc;

import dev.tern.server.internal.AccessPolicy;
import dev.tern.server.internal.BearerToken;
import dev.tern.server.proto.GRPCInferenceServiceGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/**
 * Refuses gRPC calls without the server's bearer token (UNAUTHENTICATED) before they reach the
 * service, as its {@link AccessPolicy} says; {@code ServerLive} and {@code ServerReady} are its probes.
 */
final class BearerTokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> PROBES = Set.of(
            GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName(),
            GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName());

    private final AccessPolicy access;

    BearerTokenInterceptor(AccessPolicy access) {
        this.access = access;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        boolean probe = PROBES.contains(call.getMethodDescriptor().getFullMethodName());
        if (access.admits(probe, headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription(BearerToken.refusal()), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
