package dev.tern.compress.prune;

/** Where magnitude pruning ranks weights against each other. */
public enum SparsityScope {
    /**
     * One ranking over every chosen weight together: the smallest magnitudes anywhere go first,
     * so layers with many small weights lose more of them than others.
     */
    GLOBAL,
    /** Each weight ranked on its own: every layer ends with the same sparsity. */
    PER_LAYER
}
