/**
 * Tern's graph IR: {@link dev.tern.ir.Model}, {@link dev.tern.ir.Graph}, {@link dev.tern.ir.Node},
 * {@link dev.tern.ir.Value} and {@link dev.tern.ir.Tensor}, with types, attributes and use-def
 * tracking that every mutation keeps right; {@link dev.tern.ir.GraphBuilder} builds graphs in code,
 * {@link dev.tern.ir.GraphEditor} edits existing ones and {@link dev.tern.ir.Model#copy()} copies a model
 * deeply. Graph rewrites are passes ({@code dev.tern.ir.passes}). Knows nothing of protobuf or ONNX Runtime.
 * {@link dev.tern.ir.AtomicFiles} is how every module writes a file in place.
 */
package dev.tern.ir;
