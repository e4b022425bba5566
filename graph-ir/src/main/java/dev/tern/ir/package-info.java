/**
 * Tern's graph IR: {@link dev.tern.ir.Model}, {@link dev.tern.ir.Graph}, {@link dev.tern.ir.Node},
 * {@link dev.tern.ir.Value} and {@link dev.tern.ir.Tensor}, with types, attributes and use-def
 * tracking that every mutation keeps right. Knows nothing of protobuf or ONNX Runtime.
 * {@link dev.tern.ir.AtomicFiles} is how every module writes a file in place.
 */
package dev.tern.ir;
