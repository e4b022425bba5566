package dev.tern.cli.internal;

import dev.tern.train.FineTune;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code tern finetune}'s recipe options beyond the shared training ones: which weights train
 * (scopes), early stopping, and checkpoints to save and resume from. A picocli mixin.
 */
final class RecipeOptions {
    @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without a lower validation loss.")
    private Integer patience;

    @Option(names = "--freeze", paramLabel = "SCOPE", arity = "1..*",
            description = "Keep the weights in SCOPE unchanged: those whose names, or the names of the nodes reading "
                    + "them (slashes read as dots), start with SCOPE.")
    private List<String> freeze = new ArrayList<>();

    @Option(names = "--trainable", paramLabel = "SCOPE", arity = "1..*",
            description = "Train only the weights in SCOPE (as for --freeze), and a new classification head.")
    private List<String> trainable = new ArrayList<>();

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Save a checkpoint into DIR after every epoch.")
    private Path checkpoint;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in --checkpoint DIR.")
    private boolean resume;

    /**
     * Checks the options before any file is read.
     *
     * @param validated whether there are validation data, which --patience follows
     * @throws CliFailure (usage) naming the option at fault
     */
    void check(boolean validated) {
        if (patience != null && patience < 1) {
            throw CliFailure.usage("--patience must be at least 1, found " + patience);
        }
        if (patience != null && !validated) {
            throw CliFailure.usage("--patience needs validation data: --validation or --split");
        }
        if (resume && checkpoint == null) {
            throw CliFailure.usage("--resume needs --checkpoint DIR");
        }
        if (resume && !Files.isDirectory(checkpoint)) {
            throw CliFailure.usage(checkpoint, "no such checkpoint folder to resume from");
        }
    }

    /** The options given that a GAN's training has no use for, as the refusal names them. */
    List<String> givenOutsideGan() {
        List<String> given = new ArrayList<>();
        if (!freeze.isEmpty() || !trainable.isEmpty()) {
            given.add("--freeze/--trainable");
        }
        if (checkpoint != null) {
            given.add("--checkpoint");
        }
        if (patience != null) {
            given.add("--patience");
        }
        return given;
    }

    /** Sets {@code builder}'s weights scopes, early stopping and checkpoints from these options. */
    FineTune.Builder applyTo(FineTune.Builder builder) {
        builder.trainable(trainable).frozen(freeze);
        if (patience != null) {
            builder.earlyStopping(patience);
        }
        if (checkpoint != null) {
            builder.checkpoints(checkpoint, resume);
        }
        return builder;
    }
}
