package dev.tern.train;

import dev.tern.ir.Graph;

import java.util.Objects;

/**
 * A loss function appended to a forward model as graph ops, reading a prediction and a
 * target. Every built-in loss is a mean: over the batch, and for the element-wise losses over
 * every element, like PyTorch's {@code reduction="mean"}; the batch dimension may be symbolic.
 *
 * <p>A function alone reads the output and target named in
 * {@link TrainingSession#builder(dev.tern.ir.Model, String)}. The factories taking names
 * ({@link #mse(String, String)}, {@link #gaussianKl(String, String)}, ...) bind a function to
 * a model output and a target as a {@link LossTerms} term, and terms add up:
 *
 * <pre>{@code
 * LossTerms vae = Loss.mse("reconstruction", "input").plus(Loss.gaussianKl("mu", "logvar").times(0.5));
 * }</pre>
 *
 * <p>A term's target is resolved by name in the model: one of its inputs (an autoencoder
 * compares its output with its input), one of its outputs, or else a new graph input that
 * batches feed (class indices, float targets), typed as the function needs.
 */
public sealed interface Loss {
    /** Mean squared error; the target has the prediction's shape and element type. */
    static Loss meanSquaredError() {
        return new MeanSquaredError();
    }

    /** Mean absolute error; the target has the prediction's shape and element type. */
    static Loss l1() {
        return new L1();
    }

    /** {@link #crossEntropy(double)} without label smoothing. */
    static Loss crossEntropy() {
        return new CrossEntropy(0);
    }

    /**
     * Softmax cross-entropy over logits {@code [batch, classes]} with int64 class indices
     * {@code [batch]} as the target. With smoothing {@code s}, the target distribution is
     * {@code 1 - s + s/classes} on the true class and {@code s/classes} elsewhere, as PyTorch's
     * {@code label_smoothing}.
     *
     * @throws IllegalArgumentException if {@code labelSmoothing} is outside [0, 1)
     */
    static Loss crossEntropy(double labelSmoothing) {
        return new CrossEntropy(labelSmoothing);
    }

    /**
     * Softmax cross-entropy over logits {@code [batch, classes]} against float targets of the
     * same shape and element type, each row a probability distribution over the classes:
     * {@code -mean_n sum_c t[n, c] * logSoftmax(x)[n, c]}. For soft labels such as mixup's
     * ({@link dev.tern.train.data.BatchLoader.Builder#mixup}); on one-hot rows it equals
     * {@link #crossEntropy()}, which reads class indices instead.
     */
    static Loss softCrossEntropy() {
        return new SoftCrossEntropy();
    }

    /**
     * Binary cross-entropy on logits (a sigmoid folded in, computed in the numerically stable
     * form {@code max(x, 0) - x*y + log(1 + exp(-|x|))}); the target holds probabilities with
     * the prediction's shape and element type.
     */
    static Loss binaryCrossEntropyWithLogits() {
        return new BinaryCrossEntropyWithLogits();
    }

    /**
     * {@code elementwise} (mean squared error, L1 or binary cross-entropy) against class
     * labels: the target is int64 class indices {@code [batch]}, one-hot encoded over the
     * prediction's {@code [batch, classes]} (1 at the class, 0 elsewhere) before the loss
     * compares it with the prediction. Accuracy can then be measured as for cross-entropy.
     *
     * @throws IllegalArgumentException if {@code elementwise} is not one of those three losses
     */
    static Loss oneHotTargets(Loss elementwise) {
        return new OneHotTargets(elementwise);
    }

    /**
     * {@code elementwise} (mean squared error, L1 or binary cross-entropy) summed over every
     * element of an example and averaged over the batch (PyTorch's {@code reduction="sum"}
     * divided by the batch size): a reconstruction's negative log-likelihood in nats per
     * example for binary cross-entropy, as a VAE's evidence lower bound counts it.
     *
     * @throws IllegalArgumentException if {@code elementwise} is not one of those three losses
     */
    static Loss perExampleSum(Loss elementwise) {
        return new PerExampleSum(elementwise);
    }

    /**
     * A loss the caller writes as a graph with exactly two inputs, the prediction and the
     * target (in that order; the target input's type becomes the training target's type), and
     * one scalar floating-point output. Its nodes are copied into the training graph under
     * fresh names; nodes with subgraphs are refused.
     *
     * @throws IllegalArgumentException if the graph does not have two inputs and one output
     */
    static Loss custom(Graph graph) {
        return new Custom(graph);
    }

    /** A term: {@link #meanSquaredError()} between model output {@code output} and {@code target}, named after the output. */
    static LossTerms mse(String output, String target) {
        return term(meanSquaredError(), output, target);
    }

    /** A term: {@link #l1()} between model output {@code output} and {@code target}, named after the output. */
    static LossTerms l1(String output, String target) {
        return term(l1(), output, target);
    }

    /**
     * A term: {@link #crossEntropy()} of logits {@code output} against int64 class indices
     * {@code target}, named after the output.
     */
    static LossTerms crossEntropy(String output, String target) {
        return term(crossEntropy(), output, target);
    }

    /**
     * A term: the Kullback-Leibler divergence of the diagonal Gaussian with mean {@code mean}
     * and log-variance {@code logVariance} (model outputs {@code [batch, latent]}) from the
     * standard normal, {@code -0.5 * sum(1 + logVariance - mean^2 - exp(logVariance))} summed
     * over the latent dimensions and averaged over the batch (nats per example, as in a VAE's
     * evidence lower bound). Named {@code "kl"}.
     */
    static LossTerms gaussianKl(String mean, String logVariance) {
        return LossTerms.of(new LossTerm("kl", new GaussianKl(), mean, logVariance, 1));
    }

    /** A term: {@code function} between model output {@code output} and {@code target}, named after the output. */
    static LossTerms term(Loss function, String output, String target) {
        return LossTerms.of(new LossTerm(output, function, output, target, 1));
    }

    private static void requireElementwise(Loss elementwise, String use) {
        Objects.requireNonNull(elementwise, "elementwise");
        if (!(elementwise instanceof MeanSquaredError || elementwise instanceof L1
                || elementwise instanceof BinaryCrossEntropyWithLogits)) {
            throw new IllegalArgumentException(use + " applies to mean squared error, L1 and binary cross-entropy, found "
                    + elementwise);
        }
    }

    /** See {@link Loss#meanSquaredError()}. */
    record MeanSquaredError() implements Loss {
    }

    /** See {@link Loss#l1()}. */
    record L1() implements Loss {
    }

    /** See {@link Loss#crossEntropy(double)}. */
    record CrossEntropy(double labelSmoothing) implements Loss {
        public CrossEntropy {
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException("label smoothing must be in [0, 1), found " + labelSmoothing);
            }
        }
    }

    /** See {@link Loss#softCrossEntropy()}. */
    record SoftCrossEntropy() implements Loss {
    }

    /** See {@link Loss#binaryCrossEntropyWithLogits()}. */
    record BinaryCrossEntropyWithLogits() implements Loss {
    }

    /** See {@link Loss#oneHotTargets(Loss)}. */
    record OneHotTargets(Loss elementwise) implements Loss {
        public OneHotTargets {
            requireElementwise(elementwise, "one-hot targets");
        }
    }

    /**
     * See {@link Loss#gaussianKl(String, String)}: the mean is its prediction, the log-variance
     * its target, both {@code [batch, latent]}.
     */
    record GaussianKl() implements Loss {
    }

    /** See {@link Loss#perExampleSum(Loss)}. */
    record PerExampleSum(Loss elementwise) implements Loss {
        public PerExampleSum {
            requireElementwise(elementwise, "a per-example sum");
        }
    }

    /** See {@link Loss#custom(Graph)}. */
    record Custom(Graph graph) implements Loss {
        public Custom {
            Objects.requireNonNull(graph, "graph");
            if (graph.inputs().size() != 2 || graph.outputs().size() != 1) {
                throw new IllegalArgumentException("a loss graph needs inputs (prediction, target) and one output; graph '"
                        + graph.name() + "' has " + graph.inputs().size() + " inputs and "
                        + graph.outputs().size() + " outputs");
            }
        }
    }
}
