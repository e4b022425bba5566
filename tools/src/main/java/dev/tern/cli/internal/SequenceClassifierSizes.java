package dev.tern.cli.internal;

import picocli.CommandLine.Option;

/** The sizes {@code init-model lstm} and {@code init-model gru} share. */
final class SequenceClassifierSizes {
    @Option(names = "--vocab", required = true, paramLabel = "N", description = "Token ids run from 0 to N - 1.")
    int vocabulary;

    @Option(names = "--embedding", required = true, paramLabel = "N", description = "Width of each token's embedding.")
    int embedding;

    @Option(names = "--hidden", required = true, paramLabel = "N", description = "Units of the recurrent layer.")
    int hidden;

    @Option(names = "--length", required = true, paramLabel = "N", description = "Tokens per sequence.")
    int length;

    @Option(names = "--classes", required = true, paramLabel = "N", description = "Number of classes (at least 2).")
    int classes;
}
