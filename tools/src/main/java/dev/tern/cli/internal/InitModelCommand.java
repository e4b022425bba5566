package dev.tern.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tern init-model mlp|cnn|autoencoder|vae|gan|lstm|gru ...}: writes a fresh, randomly initialized model to train with {@code finetune}. */
@Command(name = "init-model",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Write a fresh trainable model (input 'input'; output 'logits' for a classifier, 'prediction' for an MLP "
                    + "with --outputs, 'reconstruction' and 'code' for an autoencoder, 'logits', 'mu' and 'logvar' "
                    + "for a VAE, 'generated', 'real_score' and 'fake_score' for a GAN (whose noise input is 'z'); "
                    + "weights <layer>.weight and <layer>.bias; its task in the metadata entry tern.task) for training from scratch with 'tern finetune'."},
        subcommands = {InitMlpCommand.class, InitCnnCommand.class, InitAutoencoderCommand.class, InitVaeCommand.class,
            InitGanCommand.class, InitLstmCommand.class, InitGruCommand.class})
public final class InitModelCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    /** Without a model kind, fails as bad usage. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a model kind is required: mlp, cnn, autoencoder, vae, gan, lstm or gru");
    }
}
