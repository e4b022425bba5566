package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.train.models.ModelTemplates;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a model is fine-tuned for. Classification and regression compare an output with the
 * data's labels; reconstruction and the VAE's ELBO compare the model's outputs with its own
 * input, ignoring the labels ({@link UnsupervisedObjective}); a GAN trains its discriminator
 * and generator by turns on the examples alone ({@link GanTraining}). The templates of
 * {@link ModelTemplates} store their task in the model's metadata ({@value ModelTemplates#TASK}),
 * so a model says what it is for.
 */
public enum FineTuneTask {
    CLASSIFY(ModelTemplates.CLASSIFY),
    REGRESS(ModelTemplates.REGRESS),
    RECONSTRUCT(ModelTemplates.RECONSTRUCT),
    VAE(ModelTemplates.VAE),
    GAN(ModelTemplates.GAN);

    private final String label;

    FineTuneTask(String label) {
        this.label = label;
    }

    /** The task's name, as in the metadata and on the command line. */
    public String label() {
        return label;
    }

    /** Whether the model learns from its input alone through one loss, rather than from labels (a GAN has two). */
    public boolean unsupervised() {
        return this == RECONSTRUCT || this == VAE;
    }

    /**
     * The task named {@code label}.
     *
     * @throws TrainingException if no task has that name, listing the names
     */
    public static FineTuneTask named(String label) {
        return Arrays.stream(values()).filter(task -> task.label.equals(label)).findFirst()
                .orElseThrow(() -> new TrainingException("unknown task '" + label + "', expected one of "
                        + Arrays.stream(values()).map(FineTuneTask::label).toList()));
    }

    /**
     * The task stored in {@code model}'s metadata, or empty when it names none.
     *
     * @throws TrainingException naming the model graph if the metadata names an unknown task
     */
    public static Optional<FineTuneTask> storedIn(Model model) {
        String stored = model.metadataProps().get(ModelTemplates.TASK);
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(named(stored));
        } catch (TrainingException e) {
            throw new TrainingException("model graph '" + model.graph().name() + "', metadata " + ModelTemplates.TASK
                    + ": " + e.getMessage(), e);
        }
    }
}
