/**
 * Tern's inference server: the KServe v2 / Open Inference Protocol over gRPC, REST and in
 * process. {@link dev.tern.server.InferenceServer} starts one over a model repository;
 * {@link dev.tern.server.InferenceService} is the protocol itself, which every transport
 * adapts; failures are {@link dev.tern.server.Status} values. The protocol's messages are the
 * generated classes in {@code dev.tern.server.proto}, from {@code src/main/proto/inference.proto}.
 */
package dev.tern.server;
