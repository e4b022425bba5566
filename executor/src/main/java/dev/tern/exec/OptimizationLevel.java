package dev.tern.exec;

/** How far ONNX Runtime rewrites the graph before running it. */
public enum OptimizationLevel {
    /** No rewriting: the graph runs as given. */
    NONE,
    /** Semantics-preserving rewrites only (constant folding, redundant node removal). */
    BASIC,
    /** Basic plus fusions into ONNX Runtime's own kernels. */
    EXTENDED,
    /** Everything, including layout changes; ONNX Runtime's default. */
    ALL
}
