package dev.tern.cli.internal;

import dev.tern.train.models.ModelTemplates;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tern init-model mlp --inputs N --hidden N... --classes N --out FILE}. */
@Command(name = "mlp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A multi-layer perceptron: input [batch, inputs], dense layers with ReLU, dense to class logits.")
public final class InitMlpCommand implements Callable<Integer> {
    @Option(names = "--inputs", required = true, paramLabel = "N", description = "Features per example.")
    private int inputs;

    @Option(names = "--hidden", paramLabel = "N", split = ",",
            description = "Widths of the hidden layers, as 128 or 256,128 (default: 128).")
    private List<Integer> hidden = List.of(128);

    @Option(names = "--classes", required = true, paramLabel = "N", description = "Number of classes.")
    private int classes;

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
        try {
            output.write(ModelTemplates.mlp(inputs, widths, classes, output.seed()), spec.commandLine().getOut());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        return ExitCode.OK;
    }
}
