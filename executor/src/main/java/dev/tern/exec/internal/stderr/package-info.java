/**
 * Standard error captured through a pipe, so that ONNX Runtime's log entries reach SLF4J and
 * everything else passes on unchanged; see {@link dev.tern.exec.internal.stderr.StderrCapture}.
 * May change freely; not API.
 */
package dev.tern.exec.internal.stderr;
