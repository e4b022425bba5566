package dev.tern.exec;

/** Whether independent nodes of a graph may run at the same time. */
public enum ExecutionMode {
    /** One node after another; parallelism only inside a node (intra-op threads). */
    SEQUENTIAL,
    /** Independent branches run concurrently on the inter-op threads. */
    PARALLEL
}
