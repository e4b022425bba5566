package dev.tern.cli.internal;

import dev.tern.train.TextDataBuilder;
import dev.tern.train.data.TextTokenizer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code tern finetune}'s options for text data: the text column, the encoder's tokenizer,
 * the token limit and the mask input. A picocli mixin.
 */
final class TextOptions {
    @Option(names = "--text-column", paramLabel = "NAME",
            description = "Train a text classifier: DATA is tab-separated, with the texts in this column and class names "
                    + "in --label-column.")
    private String textColumn;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "With --text-column: the encoder's tokenizer.json.")
    private Path tokenizer;

    @Option(names = "--max-tokens", paramLabel = "N", description = "With --text-column: cut texts to N tokens (default: 128).")
    private int maxTokens = 128;

    @Option(names = "--mask-input", paramLabel = "NAME",
            description = "With --text-column: the encoder's attention-mask input (default: attention_mask).")
    private String maskInput = TextTokenizer.ATTENTION_MASK;

    /** Whether --text-column was given, making the data text. */
    boolean given() {
        return textColumn != null;
    }

    /** --tokenizer, or null. */
    Path tokenizer() {
        return tokenizer;
    }

    /**
     * Checks the options against each other before any file is read.
     *
     * @param lossName --loss as given; text data have class labels, so only ce fits
     * @param numericOptionsGiven whether an option of numeric features was given
     * @throws CliFailure (usage) naming the option at fault
     */
    void check(String lossName, boolean numericOptionsGiven) {
        if (textColumn == null) {
            if (tokenizer != null) {
                throw CliFailure.usage("--tokenizer applies to text data: add --text-column NAME");
            }
            return;
        }
        if (tokenizer == null) {
            throw CliFailure.usage("--text-column needs the encoder's tokenizer: --tokenizer FILE");
        }
        InputFiles.requireReadableFile(tokenizer);
        if (maxTokens < 2) {
            throw CliFailure.usage("--max-tokens must be at least 2, found " + maxTokens);
        }
        if (!lossName.equals(LossOption.CROSS_ENTROPY)) {
            throw CliFailure.usage("text data has class labels: --loss must be ce, found " + lossName);
        }
        if (numericOptionsGiven) {
            throw CliFailure.usage("--augment, --feature-shape, --scale, --standardize, --min-max, --no-header and "
                    + "--skip-lines apply to numeric features, not to text");
        }
    }

    /**
     * {@code text} reading the options' column, token limit and mask input.
     *
     * @param labelColumn the header name of the class names' column
     * @param hiddenOutput the encoder output holding the hidden states, or null for its first
     */
    TextDataBuilder applyTo(TextDataBuilder text, String labelColumn, String hiddenOutput) {
        if (hiddenOutput != null) {
            text.hiddenOutput(hiddenOutput);
        }
        return text.columns(textColumn, labelColumn).maxTokens(maxTokens).maskInput(maskInput);
    }
}
