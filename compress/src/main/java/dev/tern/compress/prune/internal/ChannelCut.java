package dev.tern.compress.prune.internal;

/**
 * One initializer to cut when a layer loses output channels: along {@code axis}, whose entries
 * come in consecutive blocks of {@code block}, one block per channel (1 for a weight's own
 * channel axis; height times width for the rows of a dense layer after a Flatten).
 *
 * @param producer whether the tensor is the layer's own kernel or bias, which computes the
 *     channels, rather than a parameter downstream that reads them
 */
public record ChannelCut(String initializer, int axis, int block, boolean producer) {
}
