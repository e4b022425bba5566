/**
 * The executor's bridge to ONNX Runtime: type and tensor conversion, session construction,
 * weight sharing, input checks and run termination. May change freely; not API.
 */
package dev.tern.exec.internal;
