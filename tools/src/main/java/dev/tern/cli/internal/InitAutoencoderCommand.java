package dev.tern.cli.internal;

import dev.tern.train.models.ModelTemplates;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tern init-model autoencoder --inputs N [--hidden N,...] --latent N --out FILE}. */
@Command(name = "autoencoder",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An autoencoder for features in [0, 1]: dense layers with ReLU down to a linear code "
                + "(output 'code'), mirrored back up to the input's width through a Sigmoid (output "
                + "'reconstruction'). Its task is reconstruct.")
public final class InitAutoencoderCommand implements Callable<Integer> {
    @Mixin
    private CoderSizes sizes;

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        output.writeTemplate(spec, seed -> ModelTemplates.autoencoder(sizes.inputs(), sizes.hidden(), sizes.latent(), seed));
        return ExitCode.OK;
    }
}
