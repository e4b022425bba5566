/**
 * Runs Tern models through ONNX Runtime. Open a {@link dev.tern.exec.Runtime}, compile a
 * {@link dev.tern.ir.Model} (or open a model file) into a {@link dev.tern.exec.CompiledModel},
 * and run it with named {@link dev.tern.ir.Tensor}s:
 *
 * <pre>{@code
 * try (Runtime rt = Runtime.create();
 *      CompiledModel model = rt.open(Path.of("model.onnx"))) {
 *     Map<String, Tensor> out = model.run(Map.of("x", x));
 * }
 * }</pre>
 *
 * <p>Everything that holds native memory is {@link java.lang.AutoCloseable} with an idempotent
 * {@code close()}. Bad calls fail with an {@link dev.tern.exec.ExecException} before anything
 * reaches native code. This is the only module that touches {@code ai.onnxruntime}; no ONNX
 * Runtime type appears in this package's API.
 */
package dev.tern.exec;
