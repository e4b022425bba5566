/**
 * A KServe v2 client for Tern's server or any other (Triton, KServe's model servers): a
 * {@link dev.tern.server.client.ServerConnection} to one model over gRPC
 * ({@link dev.tern.server.client.GrpcConnection}), REST with binary tensors
 * ({@link dev.tern.server.client.RestConnection}) or straight to an
 * {@link dev.tern.server.InferenceService} in this JVM
 * ({@link dev.tern.server.client.InProcessConnection}); it reads the model's inputs and sends
 * one prepared request as often as asked, which is what load generators and benchmarks need.
 * {@link dev.tern.server.client.Datatypes} and {@link dev.tern.server.client.RawTensors} are
 * the protocol's tensor codec, shared with the server.
 */
package dev.tern.server.client;
