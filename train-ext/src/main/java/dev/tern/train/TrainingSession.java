package dev.tern.train;

import dev.tern.exec.ClosedException;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.train.internal.InferenceExport;
import dev.tern.train.internal.GroupTraining;
import dev.tern.train.internal.TrainingGraphs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Trains chosen weights of a forward model on ONNX Runtime, one run per step: the step is a
 * single graph (forward, loss, backward and optimizer update) whose weights and optimizer
 * state are inputs, and whose new values are outputs written into a second set of ONNX
 * Runtime tensors; the two sets swap roles every step, so the state never passes through the
 * Java heap. Weights not chosen stay initializers and never change.
 *
 * <pre>{@code
 * try (TrainingSession session = TrainingSession.builder(model, "logits")
 *         .loss(Loss.crossEntropy()).trainable(List.of("w1", "b1", "w2", "b2"))
 *         .optimizer(Optimizer.adamW(1e-4)).schedule(LearningRateSchedule.constant(1e-3))
 *         .build(runtime)) {
 *     StepResult result = session.step(Map.of("x", x, "target", labels));
 *     Model tuned = session.exportModel();
 * }
 * }</pre>
 *
 * <p>A batch feeds the model's inputs plus the target (named {@code "target"} unless the
 * builder says otherwise). A loss of several terms over named outputs and targets
 * ({@link LossTerms}) is given to {@link #builder(Model)} instead; a batch then feeds the
 * model's inputs plus the {@link #targetColumns()} its terms added, and every step and
 * evaluation reports each term.
 *
 * <p>A session built with {@link Builder#splitStep()} runs each step as two graphs over the
 * same native state, for data-parallel training: {@link #computeGradients} (forward and
 * backward, the gradients out) and {@link #applyGradients} (the optimizer's update with
 * gradients given in, averaged across workers). {@link #step} then runs both.
 *
 * <p>Ownership: the session owns its compiled graphs and state tensors and releases them on
 * {@link #close()} (idempotent); it does not own the runtime, and closing the runtime first
 * makes later calls throw {@link ClosedException}. Methods are synchronized: one step at a time.
 */
public final class TrainingSession implements WeightStore, AutoCloseable {
    private final Model model;
    /** How errors name the session: {@code model 'name'}. */
    private final String owner;
    private final LossTerms loss;
    private final GroupTraining training;
    private boolean closed;

    private TrainingSession(Builder builder, LossTerms loss, TrainingGraphs graphs, Runtime runtime) {
        this.model = builder.model;
        this.owner = "model '" + model.graph().name() + "'";
        this.loss = loss;
        this.training = new GroupTraining(owner, graphs, loss, builder.optimizer.toString(), builder.schedule,
                builder.splitStep, runtime, builder.config);
    }

    /**
     * A builder for training {@code model}, whose output {@code predictionOutput} the loss
     * reads. The model is not changed, and its weights are shared, not copied: they must not
     * change while the session is open.
     */
    public static Builder builder(Model model, String predictionOutput) {
        return new Builder(model, Objects.requireNonNull(predictionOutput, "predictionOutput"));
    }

    /**
     * A builder for training {@code model} on a sum of {@link LossTerms} over its outputs, set
     * with {@link Builder#loss(LossTerms)}. The model is not changed, and its weights are
     * shared, not copied: they must not change while the session is open.
     */
    public static Builder builder(Model model) {
        return new Builder(model, null);
    }

    /** The loss terms the session minimizes the sum of; a session built with one {@link Loss} has one term, named after its prediction output. */
    public LossTerms loss() {
        return loss;
    }

    /**
     * The inputs the loss added for its targets, in term order: what a batch feeds besides the
     * model's own inputs (empty when every target is a model input or output).
     */
    public List<String> targetColumns() {
        return training.targetColumns();
    }

    /**
     * Takes one step on {@code batch}: one ONNX Runtime run computing the loss, the gradients
     * and the update. The batch tensors are fed in place, not copied.
     *
     * @throws TrainingException if the batch does not feed exactly the data inputs
     * @throws dev.tern.exec.InvalidInputException if a batch tensor has the wrong element type
     *     or shape
     * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime fails the run; the
     *     weights and state stay as they were before the step
     * @throws ClosedException if the session or its runtime is closed
     */
    public synchronized StepResult step(Map<String, Tensor> batch) {
        return step(batch, null);
    }

    /** {@link #step} that also returns a copy of the prediction (the first term's output), for accuracy on the training batch. */
    public synchronized StepResult stepWithPrediction(Map<String, Tensor> batch) {
        return step(batch, loss.terms().get(0).output());
    }

    /**
     * The first half of a split step: the loss and every trainable weight's gradient on
     * {@code batch} with the current weights, updating nothing. Workers average the gradients
     * and each hands the average to {@link #applyGradients}.
     *
     * @throws IllegalStateException if the session was built without {@link Builder#splitStep()}
     * @throws TrainingException if the batch does not feed exactly the data inputs
     * @throws dev.tern.exec.InvalidInputException if a batch tensor has the wrong element type
     *     or shape
     * @throws ClosedException if the session or its runtime is closed
     */
    public synchronized Gradients computeGradients(Map<String, Tensor> batch) {
        requireOpen();
        return training.computeGradients(batch);
    }

    /**
     * The second half of a split step: the optimizer's update with {@code gradients} (those of
     * {@link #computeGradients} for this step, or their average across workers) at the
     * schedule's rate, with the same optimizer state as the fused step keeps. The gradients are
     * read in place, not copied. The result reports {@code gradients}' loss and terms.
     *
     * @throws IllegalStateException if the session was built without {@link Builder#splitStep()}
     * @throws TrainingException if the gradients are for another step than {@link #stepCount()},
     *     or do not hold one tensor of each trainable weight's element type and shape; the
     *     session is then unchanged
     * @throws ClosedException if the session or its runtime is closed
     */
    public synchronized StepResult applyGradients(Gradients gradients) {
        requireOpen();
        return training.applyGradients(gradients);
    }

    /**
     * Runs the forward pass and the loss on {@code batch} with the current weights, updating
     * nothing. The evaluation graph is compiled on first use and reads the same state tensors
     * as the training step, without copying them.
     *
     * @throws TrainingException if the batch does not feed exactly the data inputs
     * @throws dev.tern.exec.InvalidInputException if a batch tensor has the wrong element type
     *     or shape
     * @throws ClosedException if the session or its runtime is closed
     */
    public synchronized Evaluation evaluate(Map<String, Tensor> batch) {
        requireOpen();
        return training.evaluate(batch, Map.of());
    }

    /** The number of steps taken, counting those before a restored checkpoint. */
    public synchronized long stepCount() {
        return training.state().steps();
    }

    @Override
    public synchronized Map<String, Tensor> weights() {
        requireOpen();
        return training.state().readWeights();
    }

    @Override
    public synchronized void setWeights(Map<String, Tensor> newWeights) {
        requireOpen();
        training.state().setWeights(newWeights, "setWeights");
    }

    @Override
    public synchronized void saveCheckpoint(Path file) {
        requireOpen();
        training.state().saveCheckpoint(file);
    }

    @Override
    public synchronized void restoreCheckpoint(Path file) {
        requireOpen();
        training.state().restoreCheckpoint(file);
    }

    /**
     * The trained model for inference: the input model with the current weights as its
     * initializers, the same inputs, outputs and nodes, no loss or training ops, and each
     * random op (RandomNormal(Like), RandomUniform(Like), Bernoulli) replaced by the mean of
     * its distribution, so inference is deterministic. Independent of this session: it stays
     * valid after {@link #close()}.
     *
     * @throws TrainingException if a random op has no mean of its own type (Multinomial)
     * @throws ClosedException if the session is closed
     */
    public synchronized Model exportModel() {
        return InferenceExport.withWeights(model, weights());
    }

    @Override
    public synchronized Model exportModel(List<String> inputs, List<String> outputs) {
        return InferenceExport.part(model, weights(), inputs, outputs);
    }

    /** Releases the compiled graphs and the state tensors. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        training.close();
    }

    private StepResult step(Map<String, Tensor> batch, String prediction) {
        requireOpen();
        return training.step(batch, Map.of(), prediction);
    }

    private void requireOpen() {
        if (closed) {
            throw new ClosedException("the training session of " + owner + " is closed");
        }
    }

    /**
     * Configures a {@link TrainingSession}. Required: {@link #loss(Loss)} (with
     * {@link TrainingSession#builder(Model, String)}) or {@link #loss(LossTerms)} (with
     * {@link TrainingSession#builder(Model)}), {@link #trainable}, {@link #optimizer} and
     * {@link #schedule}. Not thread-safe; {@link #build} may be called
     * more than once, each time making an independent session.
     */
    public static final class Builder {
        private final Model model;
        private final String predictionOutput;
        private Loss loss;
        private LossTerms lossTerms;
        private String targetInput = "target";
        private List<String> trainable;
        private Optimizer optimizer;
        private LearningRateSchedule schedule;
        private OptionalDouble maxGradientNorm = OptionalDouble.empty();
        private SessionConfig config = SessionConfig.defaults();
        private OptionalLong seed = OptionalLong.empty();
        private boolean splitStep;

        private Builder(Model model, String predictionOutput) {
            this.model = Objects.requireNonNull(model, "model");
            this.predictionOutput = predictionOutput;
        }

        /** The loss between the prediction output and the target input, for {@link TrainingSession#builder(Model, String)}. */
        public Builder loss(Loss newLoss) {
            this.loss = Objects.requireNonNull(newLoss, "loss");
            return this;
        }

        /** The loss terms over named outputs and targets, for {@link TrainingSession#builder(Model)}. */
        public Builder loss(LossTerms terms) {
            this.lossTerms = Objects.requireNonNull(terms, "terms");
            return this;
        }

        /**
         * The name of the target a {@link #loss(Loss)} compares the prediction with
         * ({@code "target"} by default): a new input a batch feeds, or a model input (an
         * autoencoder's).
         */
        public Builder targetInput(String name) {
            this.targetInput = Objects.requireNonNull(name, "targetInput");
            return this;
        }

        /** The initializers to train, all of one floating-point type; every other initializer stays frozen. */
        public Builder trainable(List<String> names) {
            this.trainable = List.copyOf(names);
            return this;
        }

        public Builder optimizer(Optimizer newOptimizer) {
            this.optimizer = Objects.requireNonNull(newOptimizer, "optimizer");
            return this;
        }

        public Builder schedule(LearningRateSchedule newSchedule) {
            this.schedule = Objects.requireNonNull(newSchedule, "schedule");
            return this;
        }

        /**
         * Scales the gradients down so their global norm is at most {@code maxNorm}, as
         * PyTorch's {@code clip_grad_norm_}; steps then report the norm before clipping.
         *
         * @throws IllegalArgumentException if {@code maxNorm} is not above 0
         */
        public Builder clipGradientNorm(double maxNorm) {
            if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("the maximum gradient norm must be finite and above 0, found " + maxNorm);
            }
            this.maxGradientNorm = OptionalDouble.of(maxNorm);
            return this;
        }

        /**
         * Seeds the model's random ops (RandomNormal(Like), RandomUniform(Like), Bernoulli,
         * Multinomial) that carry no seed of their own, each with its own seed drawn from
         * {@code newSeed}: their noise is then one reproducible stream over the steps (and
         * another over evaluations). Without it, ONNX Runtime seeds them at random.
         */
        public Builder seed(long newSeed) {
            this.seed = OptionalLong.of(newSeed);
            return this;
        }

        /** How ONNX Runtime runs the step and evaluation graphs (threads, optimization level). */
        public Builder sessionConfig(SessionConfig newConfig) {
            this.config = Objects.requireNonNull(newConfig, "sessionConfig");
            return this;
        }

        /**
         * Runs each step as two graphs cut from the fused one at the gradients, so the
         * gradients can be averaged between them ({@link TrainingSession#computeGradients},
         * {@link TrainingSession#applyGradients}): data-parallel training. Without it the step
         * is one graph, which is faster for a single process.
         */
        public Builder splitStep() {
            this.splitStep = true;
            return this;
        }

        /**
         * Builds the training and evaluation graphs and compiles the step on {@code runtime}.
         *
         * @throws IllegalStateException if a required setting is missing
         * @throws TrainingException if the prediction output, a trainable weight or the target
         *     name does not fit the model
         * @throws AutodiffException if an op between the weights and the loss has no gradient rule
         * @throws dev.tern.exec.ExecutionFailedException if ONNX Runtime refuses the step graph
         */
        public TrainingSession build(Runtime runtime) {
            Objects.requireNonNull(runtime, "runtime");
            LossTerms terms = lossTerms();
            requireSet(trainable, "trainable");
            requireSet(optimizer, "optimizer");
            requireSet(schedule, "schedule");
            TrainingGraphs graphs = TrainingGraphs.build(model, new TrainingGraphs.Spec(terms, trainable, optimizer,
                    maxGradientNorm, seed, List.of(), splitStep));
            return new TrainingSession(this, terms, graphs, runtime);
        }

        /** The loss as terms: those given, or the one {@link Loss} between the prediction and the target input. */
        private LossTerms lossTerms() {
            if (predictionOutput == null) {
                if (loss != null) {
                    throw new IllegalStateException("builder(model) takes loss terms over named outputs, "
                            + "loss(Loss.mse(output, target)); loss(Loss) needs builder(model, predictionOutput)");
                }
                requireSet(lossTerms, "loss");
                return lossTerms;
            }
            if (lossTerms != null) {
                throw new IllegalStateException("builder(model, predictionOutput) takes loss(Loss); loss terms "
                        + lossTerms.names() + " need builder(model)");
            }
            requireSet(loss, "loss");
            return LossTerms.of(new LossTerm(predictionOutput, loss, predictionOutput, targetInput, 1));
        }

        private static void requireSet(Object setting, String name) {
            if (setting == null) {
                throw new IllegalStateException("the training session builder needs " + name + "(...)");
            }
        }
    }
}
