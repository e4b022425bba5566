package dev.tern.cli.internal;

import dev.tern.train.models.ModelTemplates;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tern init-model mlp --inputs N --hidden N... --classes N|--outputs N --out FILE}. */
@Command(name = "mlp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A multi-layer perceptron: input [batch, inputs], dense layers with ReLU, then a dense layer to "
                + "class logits (output 'logits', --classes) or to values to predict (output 'prediction', --outputs).")
public final class InitMlpCommand implements Callable<Integer> {
    @Option(names = "--inputs", required = true, paramLabel = "N", description = "Features per example.")
    private int inputs;

    @Option(names = "--hidden", paramLabel = "N", split = ",",
            description = "Widths of the hidden layers, as 128 or 256,128 (default: 128).")
    private List<Integer> hidden = List.of(128);

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Head head;

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    /** What the last layer gives: class scores or values for a regression. */
    static final class Head {
        @Option(names = "--classes", required = true, paramLabel = "N", description = "Number of classes (at least 2).")
        private Integer classes;

        @Option(names = "--outputs", required = true, paramLabel = "N",
                description = "Number of values to predict, as 1 for a regression on one numeric label.")
        private Integer outputs;
    }

    @Override
    public Integer call() {
        int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
        output.writeTemplate(spec, seed -> head.classes != null
                ? ModelTemplates.mlp(inputs, widths, head.classes, seed)
                : ModelTemplates.regressionMlp(inputs, widths, head.outputs, seed));
        return ExitCode.OK;
    }
}
