package dev.tern.server.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Refuses gRPC calls without the server's bearer token (UNAUTHENTICATED) before they reach the service. */
final class BearerTokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final BearerToken token;

    BearerTokenInterceptor(BearerToken token) {
        this.token = token;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (token.accepts(headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription(BearerToken.refusal()), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
