package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.models.ModelTemplates;
import picocli.CommandLine.Option;

/**
 * The sizes {@code init-model lstm} and {@code init-model gru} share: token ids through an
 * embedding ({@code --vocab} and {@code --embedding}), or float rows of {@code --features}
 * values (a digit's 8 rows of 8 pixels); and the recurrent node's layout.
 */
final class SequenceClassifierSizes {
    @Option(names = "--vocab", paramLabel = "N", description = "Token ids run from 0 to N - 1 (with --embedding).")
    private Integer vocabulary;

    @Option(names = "--embedding", paramLabel = "N", description = "Width of each token's embedding (with --vocab).")
    private Integer embedding;

    @Option(names = "--features", paramLabel = "N",
            description = "Instead of token ids: float rows of N values each, input [batch, length, N].")
    private Integer features;

    @Option(names = "--hidden", required = true, paramLabel = "N", description = "Units of the recurrent layer.")
    private int hidden;

    @Option(names = "--length", required = true, paramLabel = "N", description = "Tokens (or rows) per sequence.")
    private int length;

    @Option(names = "--classes", required = true, paramLabel = "N", description = "Number of classes (at least 2).")
    private int classes;

    @Option(names = "--layout", paramLabel = "L",
            description = "The recurrent node's layout: 0 time-major after a Transpose (the default), 1 batch-first.")
    private int layout;

    /**
     * The classifier template for {@code op} (LSTM or GRU).
     *
     * @throws IllegalArgumentException if both or neither of token ids and float rows are
     *     described, or the template refuses a size
     */
    Model template(String op, long seed) {
        boolean tokens = vocabulary != null || embedding != null;
        if (tokens == (features != null)) {
            throw new IllegalArgumentException("give --vocab and --embedding for token ids, or --features for float rows");
        }
        if (features != null) {
            return ModelTemplates.recurrentRowClassifier(op, features, hidden, length, classes, layout, seed);
        }
        if (vocabulary == null || embedding == null) {
            throw new IllegalArgumentException("token ids need both --vocab and --embedding");
        }
        return ModelTemplates.recurrentClassifier(op, vocabulary, embedding, hidden, length, classes, layout, seed);
    }
}
