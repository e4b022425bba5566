/**
 * ONNX Runtime's LoRA adapter file format ({@code .onnx_adapter}): the flatbuffers schema
 * {@code onnxruntime/lora/adapter_format/adapter_schema.fbs} of microsoft/onnxruntime (format
 * version 1, file identifier {@code TORT}), written with the flatbuffers Java library's builder
 * and read with a bounds-checked reader of its own.
 */
package dev.tern.exec.internal.adapter;
