package dev.tern.compress.prune;

/** How structured pruning ranks a layer's output channels: by the norm of each channel's weights. */
public enum ChannelNorm {
    /** The sum of absolute values. */
    L1,
    /** The square root of the sum of squares. */
    L2
}
