/**
 * The gRPC adapter: {@code inference.GRPCInferenceService} handed to the service, statuses
 * mapped to gRPC's, bearer-token checks, and grpc-java's Netty and in-process transports.
 */
package dev.tern.server.internal.grpc;
