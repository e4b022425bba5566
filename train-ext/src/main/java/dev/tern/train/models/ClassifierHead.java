package dev.tern.train.models;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.internal.MeanPoolingHead;
import dev.tern.train.models.internal.WeightInit;

import java.util.Objects;
import java.util.Random;

/**
 * Turns a pretrained text encoder (BERT, MiniLM and the like, with an output of hidden states
 * {@code [batch, tokens, hidden]} and an attention-mask input {@code [batch, tokens]}) into a
 * sentence classifier to fine-tune: the hidden states of the unmasked tokens are averaged,
 * as sentence-transformers pool them, and a dense layer maps the average to
 * {@value ModelTemplates#LOGITS} {@code [batch, classes]}.
 *
 * <pre>{@code
 * Model classifier = ClassifierHead.meanPooled(encoder, "last_hidden_state", "attention_mask", 4, 7);
 * List<String> trainable = List.of(ClassifierHead.WEIGHT, ClassifierHead.BIAS, ...);
 * }</pre>
 */
public final class ClassifierHead {
    /** The dense layer's weight, {@code [hidden, classes]}, Glorot-uniform from the seed. */
    public static final String WEIGHT = "classifier.weight";
    /** The dense layer's bias, {@code [classes]}, zeros. */
    public static final String BIAS = "classifier.bias";

    private ClassifierHead() {
    }

    /**
     * A copy of {@code encoder} whose only output is {@value ModelTemplates#LOGITS}; the
     * encoder's inputs and weights are kept (weights shared, not copied). The same seed gives
     * the same head.
     *
     * @param hiddenOutput the encoder output holding float {@code [batch, tokens, hidden]},
     *     with a known hidden size
     * @param maskInput the encoder input holding the attention mask, 1 for real tokens and 0
     *     for padding
     * @throws IllegalArgumentException if {@code classes} is below 2
     * @throws dev.tern.train.TrainingException if the output or input is missing or has the
     *     wrong rank or type
     */
    public static Model meanPooled(Model encoder, String hiddenOutput, String maskInput, int classes, long seed) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(hiddenOutput, "hiddenOutput");
        Objects.requireNonNull(maskInput, "maskInput");
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, found " + classes);
        }
        int hidden = MeanPoolingHead.hiddenSize(encoder, hiddenOutput);
        Tensor weight = new WeightInit(new Random(seed)).glorotUniform(WEIGHT, hidden, classes, new long[] {hidden, classes});
        return MeanPoolingHead.attach(encoder, hiddenOutput, maskInput, weight, WeightInit.zeros(BIAS, classes),
                ModelTemplates.LOGITS);
    }
}
