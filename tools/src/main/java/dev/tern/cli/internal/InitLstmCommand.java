package dev.tern.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tern init-model lstm (--vocab N --embedding N | --features N) --hidden N --length N --classes N [--layout L] --out FILE}. */
@Command(name = "lstm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A sequence classifier: int64 token ids 'input' [batch, length] through an embedding, or float "
                + "rows 'input' [batch, length, features], then one LSTM layer and a dense layer from its last hidden "
                + "state to class logits (output 'logits').")
public final class InitLstmCommand implements Callable<Integer> {
    @Mixin
    private SequenceClassifierSizes sizes;

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        output.writeTemplate(spec, seed -> sizes.template("LSTM", seed));
        return ExitCode.OK;
    }
}
