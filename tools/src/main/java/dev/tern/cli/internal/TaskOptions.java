package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.FineTuneTask;
import dev.tern.train.TrainingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code tern finetune}'s task and the files its parts go to: an autoencoder's or VAE's
 * encoder, a VAE's decoder as a sampler, a GAN's discriminator. A picocli mixin.
 */
final class TaskOptions {
    @Option(names = "--task", paramLabel = "TASK",
            description = "classify or regress (an output against the labels, by its width), reconstruct (an "
                    + "autoencoder: mean squared error of --output against the input; labels are ignored), vae (binary "
                    + "cross-entropy of the logits output against the input, summed per example, plus the KL term of "
                    + "outputs 'mu' and 'logvar') or gan (init-model gan's model: per batch a discriminator step and a "
                    + "generator step on fresh noise, Adam and AdamW with beta1 0.5; --out gets the generator, from "
                    + "noise 'z' to 'generated' in the data's scale). Default: the model's tern.task metadata, which "
                    + "init-model writes.")
    private String task;

    @Option(names = "--encoder-out", paramLabel = "ENCODER.onnx",
            description = "With --task reconstruct or vae: also write the trained encoder (an autoencoder's other "
                    + "outputs, as its code; a VAE's 'mu' and 'logvar').")
    private Path encoderOut;

    @Option(names = "--decoder-out", paramLabel = "DECODER.onnx",
            description = "With --task vae: also write the trained decoder as a sampler, from latent 'z' to pixels "
                    + "'reconstruction' through a Sigmoid.")
    private Path decoderOut;

    @Option(names = "--discriminator-out", paramLabel = "DISCRIMINATOR.onnx",
            description = "With --task gan: also write the trained discriminator, from examples 'input' (as in the data) "
                    + "to the logit 'real_score' that they are real.")
    private Path discriminatorOut;

    /** --encoder-out, or null. */
    Path encoderOut() {
        return encoderOut;
    }

    /** --decoder-out, or null. */
    Path decoderOut() {
        return decoderOut;
    }

    /** --discriminator-out, or null. */
    Path discriminatorOut() {
        return discriminatorOut;
    }

    /** Whether --encoder-out or --decoder-out was given. */
    boolean partsGiven() {
        return encoderOut != null || decoderOut != null;
    }

    /** The part files given, for the check that none is the model read. */
    List<Path> outputs() {
        List<Path> outputs = new ArrayList<>();
        for (Path part : new Path[] {encoderOut, decoderOut, discriminatorOut}) {
            if (part != null) {
                outputs.add(part);
            }
        }
        return outputs;
    }

    /**
     * The task --task names, or else the metadata of {@code model}, read from {@code modelFile};
     * empty when neither says.
     *
     * @throws CliFailure (usage) if either names an unknown task
     */
    Optional<FineTuneTask> chosen(Path modelFile, Model model) {
        try {
            return task != null ? Optional.of(FineTuneTask.named(task)) : FineTuneTask.storedIn(model);
        } catch (TrainingException e) {
            throw CliFailure.usage((task != null ? "--task: " : modelFile + ": ") + e.getMessage(), e);
        }
    }

    /**
     * Refuses the options the chosen task (not a GAN) has no use for.
     *
     * @param lossOrTextGiven whether --loss or --text-column was given, which an autoencoder or VAE refuses
     * @throws CliFailure (usage) if --discriminator-out is given, --encoder-out or --decoder-out
     *     for a task with labels, or --loss or --text-column for a task without
     */
    void check(Optional<FineTuneTask> chosen, boolean lossOrTextGiven) {
        if (discriminatorOut != null) {
            throw CliFailure.usage("--discriminator-out needs --task gan");
        }
        Optional<FineTuneTask> unsupervised = chosen.filter(FineTuneTask::unsupervised);
        if (unsupervised.isEmpty() && partsGiven()) {
            throw CliFailure.usage("--encoder-out and --decoder-out need --task reconstruct or vae");
        }
        if (unsupervised.isPresent() && lossOrTextGiven) {
            throw CliFailure.usage("--task " + unsupervised.get().label()
                    + " sets its own loss on numeric features: --loss and --text-column do not apply");
        }
    }
}
