/**
 * The protobuf side of onnx-import: decoding {@code ModelProto} into IR and encoding it back,
 * tensor data in all its ONNX encodings, and external data files. Only this package and the
 * generated {@code proto} classes touch protobuf; nothing here is API.
 */
package dev.tern.onnx.internal;
