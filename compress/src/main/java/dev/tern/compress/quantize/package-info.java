/**
 * 8-bit quantization as graph passes: {@link dev.tern.compress.quantize.DynamicQuantizationPass}
 * (ONNX Runtime's {@code quantize_dynamic} pattern), {@link dev.tern.compress.quantize.StaticQuantizationPass}
 * (QDQ format with calibrated ranges), the {@link dev.tern.compress.quantize.Quantization} entry
 * points that choose targets and calibrate, and the {@link dev.tern.compress.quantize.AccuracyGuard}
 * that keeps sensitive layers in float within an accuracy budget; and quantization-aware training,
 * {@link dev.tern.compress.quantize.QuantizationAwareTraining}, which fine-tunes through the fake
 * quantization of {@link dev.tern.compress.quantize.FakeQuantizationPass} before exporting QDQ.
 */
package dev.tern.compress.quantize;
