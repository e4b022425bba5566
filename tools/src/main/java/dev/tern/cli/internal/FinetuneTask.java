package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.train.models.ModelTemplates;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What {@code tern finetune} trains a model for: {@code --task}, or else the task a template
 * wrote into the model's metadata ({@value ModelTemplates#TASK}). Classification and regression
 * compare an output with the data's labels; reconstruction and the VAE's ELBO compare the
 * model's outputs with its own input, ignoring the labels; a GAN trains its discriminator and
 * generator by turns on the examples alone.
 */
enum FinetuneTask {
    CLASSIFY(ModelTemplates.CLASSIFY),
    REGRESS(ModelTemplates.REGRESS),
    RECONSTRUCT(ModelTemplates.RECONSTRUCT),
    VAE(ModelTemplates.VAE),
    GAN(ModelTemplates.GAN);

    private final String label;

    FinetuneTask(String label) {
        this.label = label;
    }

    /** The name on the command line and in the metadata. */
    String label() {
        return label;
    }

    /** Whether the model learns from its input alone through one loss, rather than from labels (a GAN has two). */
    boolean unsupervised() {
        return this == RECONSTRUCT || this == VAE;
    }

    /**
     * The task {@code option} names, or else the one in the metadata of {@code model} (read
     * from {@code file}); empty when neither says.
     *
     * @throws CliFailure (usage) if either names an unknown task
     */
    static Optional<FinetuneTask> of(String option, Model model, Path file) {
        if (option != null) {
            return Optional.of(parse(option, "--task"));
        }
        String stored = model.metadataProps().get(ModelTemplates.TASK);
        return stored == null ? Optional.empty()
                : Optional.of(parse(stored, file + ": metadata " + ModelTemplates.TASK));
    }

    private static FinetuneTask parse(String name, String where) {
        return Arrays.stream(values()).filter(task -> task.label.equals(name)).findFirst()
                .orElseThrow(() -> CliFailure.usage(where + ": unknown task '" + name + "', expected one of "
                        + Arrays.stream(values()).map(FinetuneTask::label).toList()));
    }
}
