package dev.tern.train;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvLayout;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.DatasetException;
import dev.tern.train.data.ExampleFiles;
import dev.tern.train.data.ExampleShape;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.ScalingMethod;
import dev.tern.train.models.ModelTemplates;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * {@code tern finetune --task gan} as a library call: reads the real examples from a CSV file
 * (their labels read as numbers and left unused), scales them as {@link Builder#scaling}
 * says, trains a {@link ModelTemplates#gan}-shaped model with {@link GanTraining}, and hands
 * back the generator and discriminator in the data's own scale: the generator's output is
 * scaled back, the discriminator's input scaled on the way in. Neither keeps the GAN's
 * {@value ModelTemplates#TASK} metadata, as neither alone trains as a GAN. Adam and AdamW run
 * with beta1 {@value #GAN_BETA1}.
 *
 * <pre>{@code
 * GanFineTune.Result result = GanFineTune.builder(gan, Path.of("digits.csv"))
 *         .scaling(ScalingMethod.divideBy(16))
 *         .optimizer(Optimizer.adamW(0))
 *         .schedule(steps -> LearningRateSchedule.constant(2e-4))
 *         .epochs(50)
 *         .build()
 *         .run(runtime);
 * Model sampler = result.generator(); // noise 'z' to digits in 0..16
 * }</pre>
 */
public final class GanFineTune {
    /** DCGAN's first-moment decay, which keeps Adam from overshooting as the two networks chase each other. */
    public static final double GAN_BETA1 = 0.5;

    private final Settings settings;

    private GanFineTune(Settings settings) {
        this.settings = settings;
    }

    /** The builder's settings, fixed when built. */
    private record Settings(Model model, Path examples, CsvLayout layout, ScalingMethod scaling, Optimizer optimizer,
                            LongFunction<LearningRateSchedule> schedule, int epochs, int batch, long seed,
                            TrainingListener listener, SessionConfig config) {
    }

    /** A builder for training {@code gan} on the examples in the CSV file {@code examples}. */
    public static Builder builder(Model gan, Path examples) {
        return new Builder(gan, examples);
    }

    /**
     * Reads the examples, trains on {@code runtime} and exports both networks. The runtime is
     * not closed.
     *
     * @throws DatasetException naming the file, line and column if the examples cannot be read
     *     or do not fit the GAN's input
     * @throws TrainingException naming the model graph if the model is no GAN
     */
    public Result run(Runtime runtime) {
        Model gan = settings.model();
        Value input = gan.graph().inputs().get(0);
        long[] exampleShape = ExampleShape.ofInput(gan, input, null);
        Dataset examples = ExampleFiles.of(settings.layout(), exampleShape, 0).readTraining(settings.examples());
        Optional<FeatureScaling> dataScale = settings.scaling().fitWithDivision(examples);
        BatchLoader batches = BatchLoader.builder(examples, settings.batch()).shuffle(settings.seed())
                .normalization(dataScale.<Normalization>map(scale -> scale).orElse(Normalization.none())).build();
        GanTraining.Result trained = GanTraining.builder(gan, batches.feeding(input.name()))
                .optimizer(adversarial(settings.optimizer()))
                .schedule(settings.schedule())
                .epochs(settings.epochs())
                .seed(settings.seed())
                .listener(settings.listener())
                .sessionConfig(settings.config())
                .build()
                .run(runtime);
        Model generator = dataScale.map(scale -> scale.appendInverseTo(trained.generator(), ModelTemplates.GENERATED))
                .orElse(trained.generator());
        Model discriminator = dataScale.map(scale -> scale.prependTo(trained.discriminator(), ModelTemplates.INPUT))
                .orElse(trained.discriminator());
        return new Result(withoutTask(generator), withoutTask(discriminator), trained, examples.size());
    }

    /** {@code part} without the GAN's task: a generator or discriminator alone is not trained as a GAN. */
    private static Model withoutTask(Model part) {
        part.metadataProps().remove(ModelTemplates.TASK);
        return part;
    }

    private static Optimizer adversarial(Optimizer chosen) {
        if (chosen instanceof Optimizer.Adam adam) {
            return new Optimizer.Adam(GAN_BETA1, adam.beta2(), adam.epsilon(), adam.weightDecay(), adam.decoupled());
        }
        return chosen;
    }

    /**
     * What a GAN fine-tuning produced, ready to write.
     *
     * @param generator from noise {@value ModelTemplates#LATENT} to examples
     *     {@value ModelTemplates#GENERATED} in the data's scale
     * @param discriminator from examples {@value ModelTemplates#INPUT} in the data's scale to
     *     the logit {@value ModelTemplates#REAL_SCORE} that they are real
     * @param training the adversarial training's result: its history and each network's weights
     * @param examples how many real examples it trained on
     */
    public record Result(Model generator, Model discriminator, GanTraining.Result training, int examples) {
        public Result {
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(discriminator, "discriminator");
            Objects.requireNonNull(training, "training");
        }
    }

    /**
     * Configures a {@link GanFineTune}. Required: {@link #optimizer} and {@link #schedule}.
     * Defaults: {@link CsvLayout#DEFAULT}, no scaling, 1 epoch, batches of 32, seed 42, no
     * listener, ONNX Runtime's default session settings.
     */
    public static final class Builder {
        private final Model model;
        private final Path examples;
        private CsvLayout layout = CsvLayout.DEFAULT;
        private ScalingMethod scaling = ScalingMethod.none();
        private Optimizer optimizer;
        private LongFunction<LearningRateSchedule> schedule;
        private int epochs = 1;
        private int batch = 32;
        private long seed = 42;
        private TrainingListener listener = new TrainingListener() {
        };
        private SessionConfig config = SessionConfig.defaults();

        private Builder(Model model, Path examples) {
            this.model = Objects.requireNonNull(model, "model");
            this.examples = Objects.requireNonNull(examples, "examples");
        }

        /** How the CSV file is laid out. */
        public Builder layout(CsvLayout newLayout) {
            this.layout = Objects.requireNonNull(newLayout, "layout");
            return this;
        }

        /**
         * How the examples are scaled for training, and back for the generator's output: a
         * division or min-max scaling, into the reach of the generator's Sigmoid.
         *
         * @throws IllegalArgumentException for {@link ScalingMethod#standardize()}, whose values
         *     a Sigmoid cannot reach
         */
        public Builder scaling(ScalingMethod method) {
            if (method.standardizes()) {
                throw new IllegalArgumentException("a GAN's generator makes values in [0, 1]: scale the data by "
                        + "division or min-max, not by standardization");
            }
            this.scaling = method;
            return this;
        }

        /** The optimizer settings both networks use, each with its own state; Adam's beta1 becomes {@value GanFineTune#GAN_BETA1}. */
        public Builder optimizer(Optimizer newOptimizer) {
            this.optimizer = Objects.requireNonNull(newOptimizer, "optimizer");
            return this;
        }

        /** Each network's schedule for a run of the given number of its steps. */
        public Builder schedule(LongFunction<LearningRateSchedule> forTotalSteps) {
            this.schedule = Objects.requireNonNull(forTotalSteps, "schedule");
            return this;
        }

        /** @throws IllegalArgumentException if below 1 */
        public Builder epochs(int count) {
            this.epochs = BuilderChecks.atLeastOne(count, "epochs");
            return this;
        }

        /** @throws IllegalArgumentException if below 1 */
        public Builder batch(int size) {
            this.batch = BuilderChecks.atLeastOne(size, "batch size");
            return this;
        }

        /** The seed of the shuffling and of the generator's noise. */
        public Builder seed(long newSeed) {
            this.seed = newSeed;
            return this;
        }

        public Builder listener(TrainingListener newListener) {
            this.listener = Objects.requireNonNull(newListener, "listener");
            return this;
        }

        public Builder sessionConfig(SessionConfig newConfig) {
            this.config = Objects.requireNonNull(newConfig, "sessionConfig");
            return this;
        }

        /**
         * The fine-tuning; the model's interface is checked when it runs.
         *
         * @throws IllegalStateException if the optimizer or schedule is missing
         */
        public GanFineTune build() {
            if (optimizer == null || schedule == null) {
                throw new IllegalStateException("the GAN fine-tuning builder needs optimizer(...) and schedule(...)");
            }
            return new GanFineTune(new Settings(model, examples, layout, scaling, optimizer, schedule, epochs, batch,
                    seed, listener, config));
        }
    }
}
