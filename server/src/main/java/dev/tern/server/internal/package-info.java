/**
 * The server's internals, free to change. This package holds the service itself: the protocol
 * over a model repository, the checks and conversions of request and response tensors,
 * metrics and access control. Its sub-packages hold one job each: {@code grpc} and {@code rest}
 * the network adapters with their Netty transports, {@code scheduling} the per-version request
 * queues, batching and instance pools, {@code repository} the model folders, their
 * {@code config.json} and loading, {@code statistics} the per-version counters behind Triton's
 * statistics call and metric names.
 */
package dev.tern.server.internal;
