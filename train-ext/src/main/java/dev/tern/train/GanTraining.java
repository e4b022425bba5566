package dev.tern.train;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Dim;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.data.BatchSource;
import dev.tern.train.data.Feed;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.TrainingHistory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * The adversarial training of {@code tern finetune --task gan} as a library call, for a model
 * shaped as {@link ModelTemplates#gan}: real examples fed to {@value ModelTemplates#INPUT},
 * noise to {@value ModelTemplates#LATENT}, the discriminator's logits
 * {@value ModelTemplates#REAL_SCORE} and {@value ModelTemplates#FAKE_SCORE}, the generator's
 * weights in scope {@value ModelTemplates#GENERATOR} and the discriminator's in
 * {@value ModelTemplates#DISCRIMINATOR}.
 *
 * <pre>{@code
 * GanTraining.Result result = GanTraining.builder(gan, digits.feeding(ModelTemplates.INPUT))
 *         .optimizer(new Optimizer.Adam(0.5, 0.999, 1e-8, 0, false))
 *         .schedule(steps -> LearningRateSchedule.cosine(1e-3, steps, 1e-5))
 *         .epochs(600)
 *         .build()
 *         .run(runtime);
 * Model sampler = result.generator();
 * }</pre>
 *
 * <p>A {@link Trainer} runs the epochs over a {@link GroupTrainingSession}, each batch of real
 * examples taking two steps: the discriminator's, minimizing BCE(real_score, 1) +
 * BCE(fake_score, 0), then the generator's, on fresh noise, minimizing the non-saturating
 * BCE(fake_score, 1). Noise is standard normal,
 * drawn from the seed, so a run is reproducible. Both groups use the optimizer's settings with
 * state of their own and the schedule over their own steps. Immutable once built; {@link #run}
 * may be called more than once, each time training afresh from the model's weights.
 */
public final class GanTraining {
    /** The discriminator's parameter group and loss term. */
    public static final String DISCRIMINATOR = ModelTemplates.DISCRIMINATOR;
    /** The generator's parameter group and loss term. */
    public static final String GENERATOR = ModelTemplates.GENERATOR;
    private static final String ONES = GanColumns.ONES;
    private static final String ZEROS = GanColumns.ZEROS;
    /** Mixed into the seed for the validation's noise, a stream apart from the training's. */
    private static final long VALIDATION_NOISE = 0x9E3779B97F4A7C15L;

    private final Model model;
    private final BatchSource real;
    /** Real examples to validate on, or {@code null}. */
    private final BatchSource validation;
    private final GanColumns columns;
    private final List<String> generatorWeights;
    private final List<String> discriminatorWeights;
    private final Optimizer optimizer;
    private final LongFunction<LearningRateSchedule> schedule;
    private final int epochs;
    private final long seed;
    private final TrainingListener listener;
    private final SessionConfig config;

    private GanTraining(Builder builder, int noiseWidth) {
        this.model = builder.model;
        this.real = builder.real;
        this.validation = builder.validation;
        this.columns = new GanColumns(noiseWidth);
        this.generatorWeights = WeightSelection.inScopes(model, List.of(GENERATOR + "/"));
        this.discriminatorWeights = WeightSelection.inScopes(model, List.of(DISCRIMINATOR + "/"));
        this.optimizer = builder.optimizer;
        this.schedule = builder.schedule;
        this.epochs = builder.epochs;
        this.seed = builder.seed;
        this.listener = builder.listener;
        this.config = builder.config;
    }

    /** A builder for training {@code model} on {@code real}, whose batches feed {@value ModelTemplates#INPUT}. */
    public static Builder builder(Model model, BatchSource real) {
        return new Builder(model, real);
    }

    /**
     * Trains on {@code runtime} and exports both networks. The runtime is not closed.
     *
     * @throws TrainingException if a batch, of training or validation, does not feed
     *     {@value ModelTemplates#INPUT}
     * @throws AutodiffException if an op between the weights and a loss has no gradient rule
     */
    public Result run(Runtime runtime) {
        long steps = (long) epochs * real.batchCount();
        LossTerms discriminatorLoss = adversarial(ModelTemplates.REAL_SCORE, ONES)
                .plus(adversarial(ModelTemplates.FAKE_SCORE, ZEROS));
        LossTerms generatorLoss = adversarial(ModelTemplates.FAKE_SCORE, ONES);
        try (GroupTrainingSession session = GroupTrainingSession.builder(model)
                .group(new ParameterGroup(DISCRIMINATOR, discriminatorLoss, discriminatorWeights, optimizer,
                        schedule.apply(steps)))
                .group(new ParameterGroup(GENERATOR, generatorLoss, generatorWeights, optimizer, schedule.apply(steps)))
                .sessionConfig(config)
                .build(runtime)) {
            Random noise = new Random(seed);
            GroupSteps adversarial = (gan, batch) -> adversarialSteps(gan, batch, noise);
            Trainer.Builder trainer = Trainer.builder(session, real, adversarial)
                    .epochs(epochs)
                    .listener(listener);
            if (validation != null) {
                trainer.validation(columns.validation(validation, seed ^ VALIDATION_NOISE));
            }
            TrainingOutcome outcome = trainer.build().fit();
            return new Result(session.exportModel(List.of(ModelTemplates.LATENT), List.of(ModelTemplates.GENERATED)),
                    session.exportModel(List.of(ModelTemplates.INPUT), List.of(ModelTemplates.REAL_SCORE)),
                    outcome.history(), generatorWeights, discriminatorWeights);
        }
    }

    private static LossTerms adversarial(String score, String target) {
        return Loss.term(Loss.binaryCrossEntropyWithLogits(), score, target);
    }

    /**
     * The discriminator's step on a batch of real examples and noise, then the generator's on
     * fresh noise: each network's loss on the batch.
     */
    private Map<String, Double> adversarialSteps(GroupTrainingSession session, Feed feed, Random noise) {
        Map<String, Tensor> batch = columns.of(feed, noise);
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put(DISCRIMINATOR, session.step(feeding(session, DISCRIMINATOR, batch), DISCRIMINATOR).loss());
        batch.put(ModelTemplates.LATENT, columns.noise(noise, feed.size()));
        losses.put(GENERATOR, session.step(feeding(session, GENERATOR, batch), GENERATOR).loss());
        return losses;
    }

    /** The columns {@code group}'s step reads, out of all the batch's. */
    private static Map<String, Tensor> feeding(GroupTrainingSession session, String group, Map<String, Tensor> columns) {
        Map<String, Tensor> fed = new HashMap<>();
        for (String input : session.dataInputs(group)) {
            fed.put(input, columns.get(input));
        }
        return fed;
    }

    /**
     * What a GAN training produced.
     *
     * @param generator the trained generator, from noise {@value ModelTemplates#LATENT} to
     *     {@value ModelTemplates#GENERATED}
     * @param discriminator the trained discriminator, from examples {@value ModelTemplates#INPUT}
     *     to the logit {@value ModelTemplates#REAL_SCORE} that they are real
     * @param history every epoch's mean losses: {@code train.loss.discriminator} and
     *     {@code train.loss.generator} as terms, their sum as the training loss; with
     *     {@link Builder#validation} data, their validation losses too
     * @param generatorWeights the generator's weights
     * @param discriminatorWeights the discriminator's weights
     */
    public record Result(Model generator, Model discriminator, TrainingHistory history, List<String> generatorWeights,
                         List<String> discriminatorWeights) {
        public Result {
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(discriminator, "discriminator");
            Objects.requireNonNull(history, "history");
            generatorWeights = List.copyOf(generatorWeights);
            discriminatorWeights = List.copyOf(discriminatorWeights);
        }
    }

    /**
     * Configures a {@link GanTraining}. Required: {@link #optimizer} and {@link #schedule}.
     * Defaults: 1 epoch, no validation, noise seed 0, no listener, ONNX Runtime's default session
     * settings.
     */
    public static final class Builder {
        private final Model model;
        private final BatchSource real;
        private BatchSource validation;
        private Optimizer optimizer;
        private LongFunction<LearningRateSchedule> schedule;
        private int epochs = 1;
        private long seed;
        private TrainingListener listener = new TrainingListener() {
        };
        private SessionConfig config = SessionConfig.defaults();

        private Builder(Model model, BatchSource real) {
            this.model = Objects.requireNonNull(model, "model");
            this.real = Objects.requireNonNull(real, "real");
        }

        /**
         * Real examples, feeding {@value ModelTemplates#INPUT}, on which both networks' losses
         * are measured after every epoch with the weights of that epoch, updating nothing:
         * {@code validation.loss.discriminator} and {@code validation.loss.generator} in the
         * history, each term of theirs as {@code validation.loss.NETWORK.TERM}, their sum as the
         * validation loss. The noise is drawn from the seed in a stream apart from the
         * training's, the same every epoch, so epochs are compared on equal terms; the training
         * takes the same steps as without validation.
         */
        public Builder validation(BatchSource realExamples) {
            this.validation = Objects.requireNonNull(realExamples, "validation");
            return this;
        }

        /** The optimizer settings both networks use, each with its own state. */
        public Builder optimizer(Optimizer newOptimizer) {
            this.optimizer = Objects.requireNonNull(newOptimizer, "optimizer");
            return this;
        }

        /** Each network's schedule for a run of the given number of its steps (epochs times batches per epoch). */
        public Builder schedule(LongFunction<LearningRateSchedule> forTotalSteps) {
            this.schedule = Objects.requireNonNull(forTotalSteps, "schedule");
            return this;
        }

        /** @throws IllegalArgumentException if below 1 */
        public Builder epochs(int count) {
            this.epochs = BuilderChecks.atLeastOne(count, "epochs");
            return this;
        }

        /** The seed of the noise fed to the generator. */
        public Builder seed(long newSeed) {
            this.seed = newSeed;
            return this;
        }

        /** Hears every step (the mean of both losses so far) and every epoch. */
        public Builder listener(TrainingListener newListener) {
            this.listener = Objects.requireNonNull(newListener, "listener");
            return this;
        }

        /** How ONNX Runtime runs the step graphs. */
        public Builder sessionConfig(SessionConfig newConfig) {
            this.config = Objects.requireNonNull(newConfig, "sessionConfig");
            return this;
        }

        /**
         * The training, with the model's interface checked.
         *
         * @throws IllegalStateException if the optimizer or schedule is missing
         * @throws TrainingException if the model lacks an input or output of
         *     {@link ModelTemplates#gan}'s, its noise input's width is unknown, or a network's
         *     scope holds no weight
         */
        public GanTraining build() {
            if (optimizer == null || schedule == null) {
                throw new IllegalStateException("the GAN training builder needs optimizer(...) and schedule(...)");
            }
            requireValues(model.graph().inputs(), List.of(ModelTemplates.INPUT, ModelTemplates.LATENT), "inputs");
            requireValues(model.graph().outputs(),
                    List.of(ModelTemplates.GENERATED, ModelTemplates.REAL_SCORE, ModelTemplates.FAKE_SCORE), "outputs");
            return new GanTraining(this, noiseWidth());
        }

        private void requireValues(List<Value> values, List<String> expected, String what) {
            List<String> names = values.stream().map(Value::name).toList();
            if (!names.containsAll(expected)) {
                throw new TrainingException("model graph '" + model.graph().name() + "' is no GAN: expected " + what
                        + " " + expected + ", found " + names);
            }
        }

        private int noiseWidth() {
            Value noise = model.graph().inputs().stream()
                    .filter(input -> input.name().equals(ModelTemplates.LATENT)).findFirst().orElseThrow();
            if (noise.type() instanceof ValueType.TensorType tensor && tensor.shape().isRankKnown()
                    && tensor.shape().rank() == 2 && tensor.shape().dim(1) instanceof Dim.Known known) {
                return Math.toIntExact(known.size());
            }
            throw new TrainingException("model graph '" + model.graph().name() + "': the GAN's noise input '"
                    + ModelTemplates.LATENT + "' must be [batch, width] with a known width, found " + noise.type());
        }
    }
}
