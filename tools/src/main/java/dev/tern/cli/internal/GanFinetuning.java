package dev.tern.cli.internal;

import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import dev.tern.train.GanTraining;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingException;
import dev.tern.train.TrainingListener;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.FeatureScaling;
import dev.tern.train.data.Normalization;
import dev.tern.train.models.ModelTemplates;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * {@code tern finetune --task gan}: reads the real examples (a CSV table; its labels are read
 * and left unused), scales them as the options say, trains a {@link ModelTemplates#gan}-shaped
 * model with {@link GanTraining}, and gives the generator and discriminator in the data's own
 * scale: the generator's output is scaled back, the discriminator's input scaled on the way in.
 * Neither keeps the GAN's {@value ModelTemplates#TASK} metadata.
 */
final class GanFinetuning {
    /** DCGAN's first-moment decay, which keeps Adam from overshooting as the two networks chase each other. */
    private static final double GAN_BETA1 = 0.5;

    private final Path modelFile;
    private final CsvTableOptions table;
    private final ScalingOptions scaling;
    private final int batch;
    private final long seed;

    GanFinetuning(Path modelFile, CsvTableOptions table, ScalingOptions scaling, int batch, long seed) {
        this.modelFile = modelFile;
        this.table = table;
        this.scaling = scaling;
        this.batch = batch;
        this.seed = seed;
    }

    /**
     * The trained networks in the data's scale.
     *
     * @param generator from noise {@value ModelTemplates#LATENT} to examples {@value ModelTemplates#GENERATED}
     * @param discriminator from examples {@value ModelTemplates#INPUT} to the logit {@value ModelTemplates#REAL_SCORE}
     */
    record Trained(Model generator, Model discriminator, GanTraining.Result result, int examples) {
    }

    /**
     * Trains {@code gan} on the examples in {@code train}. Adam and AdamW run with beta1
     * {@value #GAN_BETA1}.
     *
     * @throws CliFailure (usage) if the model is no GAN, or the data cannot be read or do not
     *     fit its input
     */
    Trained train(Model gan, Path train, Optimizer optimizer, LongFunction<LearningRateSchedule> schedule, int epochs,
                  TrainingListener listener, SessionConfig config, Runtime runtime) {
        Value input = gan.graph().inputs().get(0);
        long[] exampleShape = FeatureShape.ofInput(modelFile, input, null);
        Dataset examples = new TrainingData(table, exampleShape, new TrainingTarget(Loss.meanSquaredError(), 0))
                .readTraining(train);
        Optional<FeatureScaling> dataScale = scaling.forGenerator(examples, exampleShape);
        BatchLoader batches = BatchLoader.builder(examples, batch).shuffle(seed)
                .normalization(dataScale.<Normalization>map(s -> s).orElse(Normalization.none())).build();
        GanTraining.Result result;
        try {
            result = GanTraining.builder(gan, batches.feeding(input.name()))
                    .optimizer(adversarial(optimizer))
                    .schedule(schedule)
                    .epochs(epochs)
                    .seed(seed)
                    .listener(listener)
                    .sessionConfig(config)
                    .build()
                    .run(runtime);
        } catch (TrainingException e) {
            throw CliFailure.usage(modelFile + ": " + e.getMessage(), e);
        }
        Model generator = dataScale.map(s -> s.appendInverseTo(result.generator(), ModelTemplates.GENERATED))
                .orElse(result.generator());
        Model discriminator = dataScale.map(s -> s.prependTo(result.discriminator(), ModelTemplates.INPUT))
                .orElse(result.discriminator());
        return new Trained(withoutTask(generator), withoutTask(discriminator), result, examples.size());
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
}
