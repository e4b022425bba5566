package dev.tern.cli.internal;

import dev.tern.train.models.ModelTemplates;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tern init-model vae --inputs N [--hidden N,...] --latent N --out FILE}. */
@Command(name = "vae",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A variational autoencoder for features in [0, 1]: dense layers with ReLU to a latent mean "
                + "'mu' and log-variance 'logvar', a sample 'z' drawn by RandomNormalLike, and a mirrored decoder "
                + "to pixel logits (output 'logits'). Its task is vae.")
public final class InitVaeCommand implements Callable<Integer> {
    @Mixin
    private CoderSizes sizes;

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        output.writeTemplate(spec, seed -> ModelTemplates.vae(sizes.inputs(), sizes.hidden(), sizes.latent(), seed));
        return ExitCode.OK;
    }
}
