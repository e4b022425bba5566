package dev.tern.cli.internal;

import dev.tern.train.Loss;
import picocli.CommandLine.Option;

/** {@code --loss}, shared by the commands that train a model against labels ({@code finetune}, {@code prune}). */
final class LossOption {
    /** The default: cross-entropy on logits and class labels. */
    static final String CROSS_ENTROPY = "ce";

    @Option(names = "--loss", paramLabel = "NAME",
            description = "ce (cross-entropy on logits and class labels, the default), mse, l1 or bce (on logits); "
                    + "mse, l1 and bce compare class scores with one-hot labels, a [batch, 1] output with a numeric label.")
    private String name = CROSS_ENTROPY;

    /** The name given, as the report and the label reader tell losses apart by it. */
    String name() {
        return name;
    }

    /** Whether --loss is the default cross-entropy. */
    boolean crossEntropy() {
        return name.equals(CROSS_ENTROPY);
    }

    /** The loss function. @throws CliFailure (usage) for an unknown name, listing the known ones */
    Loss function() {
        return TrainingRecipe.loss(name);
    }
}
