package dev.tern.server.internal.grpc;

import dev.tern.server.Status;
import dev.tern.server.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;

/** Turns the service's {@link Status} into grpc-java's, at the gRPC transport's edge. */
final class GrpcStatuses {
    private GrpcStatuses() {
    }

    /** The gRPC error for {@code error}: its status if it carries one, INTERNAL otherwise. */
    static StatusRuntimeException toGrpc(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        Status status = cause instanceof StatusException statusError
                ? statusError.status()
                : Status.internal("unexpected error: " + cause);
        return io.grpc.Status.fromCodeValue(grpcCode(status.code()).value())
                .withDescription(status.message())
                .asRuntimeException();
    }

    private static io.grpc.Status.Code grpcCode(Status.Code code) {
        return switch (code) {
            case OK -> io.grpc.Status.Code.OK;
            case INVALID_ARGUMENT -> io.grpc.Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> io.grpc.Status.Code.NOT_FOUND;
            case FAILED_PRECONDITION -> io.grpc.Status.Code.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> io.grpc.Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> io.grpc.Status.Code.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> io.grpc.Status.Code.DEADLINE_EXCEEDED;
            case UNAUTHENTICATED -> io.grpc.Status.Code.UNAUTHENTICATED;
            case UNIMPLEMENTED -> io.grpc.Status.Code.UNIMPLEMENTED;
            case INTERNAL -> io.grpc.Status.Code.INTERNAL;
        };
    }
}
