/**
 * Reading and writing ONNX files: {@link dev.tern.onnx.OnnxImporter} turns a model file into
 * Tern's IR with its weights memory-mapped rather than copied, {@link dev.tern.onnx.OnnxExporter}
 * writes IR back as ONNX, with external data where asked for or where the model is too big
 * for one protobuf message. Malformed input is reported as
 * {@link dev.tern.onnx.ModelFormatException}, naming the file and the field at fault.
 */
package dev.tern.onnx;
