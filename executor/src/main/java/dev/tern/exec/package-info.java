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
 *
 * <p>ONNX Runtime's own log reaches SLF4J through the logger {@code dev.tern.exec.onnxruntime},
 * whose level also decides what ONNX Runtime logs at all. Its Java API cannot hand log entries
 * over, so on Linux and macOS the executor redirects the process's standard error (file
 * descriptor 2) through a pipe when it first starts ONNX Runtime: ONNX Runtime's entries go to
 * the logger without their colour codes, everything else on to standard error unchanged. An
 * application that manages descriptor 2 itself turns this off with the system property
 * {@code tern.ort.log.capture=false}; ONNX Runtime then writes to standard error itself.
 */
package dev.tern.exec;
