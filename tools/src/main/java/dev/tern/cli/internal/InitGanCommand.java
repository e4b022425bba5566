package dev.tern.cli.internal;

import dev.tern.train.models.ModelTemplates;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tern init-model gan --outputs N --latent N [--hidden N,...] --out FILE}. */
@Command(name = "gan",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A generative adversarial network for features in [0, 1], generator and discriminator in one "
                + "file: the generator takes noise 'z' [batch, latent] through dense layers with ReLU to 'generated' "
                + "[batch, outputs] through a Sigmoid; the discriminator (dense layers with LeakyReLU, then one logit) "
                + "judges the real examples 'input' as 'real_score' and the generated ones as 'fake_score'. Weights "
                + "are scoped generator/ and discriminator/. Its task is gan.")
public final class InitGanCommand implements Callable<Integer> {
    @Option(names = "--outputs", required = true, paramLabel = "N",
            description = "Features per generated example, as 64 for 8x8 digits.")
    private int outputs;

    @Option(names = "--latent", required = true, paramLabel = "N", description = "Width of the noise 'z'.")
    private int latent;

    @Option(names = "--hidden", paramLabel = "N", split = ",",
            description = "Widths of the discriminator's hidden layers, as 128 or 256,128; the generator mirrors "
                    + "them (default: 128).")
    private List<Integer> hidden = List.of(128);

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
        output.writeTemplate(spec, seed -> ModelTemplates.gan(outputs, widths, latent, seed));
        return ExitCode.OK;
    }
}
