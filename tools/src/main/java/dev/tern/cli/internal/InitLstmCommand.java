package dev.tern.cli.internal;

import dev.tern.train.models.ModelTemplates;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tern init-model lstm --vocab N --embedding N --hidden N --length N --classes N --out FILE}. */
@Command(name = "lstm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A sequence classifier: int64 token ids 'input' [batch, length], an embedding, one LSTM "
                + "layer and a dense layer from its last hidden state to class logits (output 'logits').")
public final class InitLstmCommand implements Callable<Integer> {
    @Mixin
    private SequenceClassifierSizes sizes;

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        output.writeTemplate(spec, seed -> ModelTemplates.lstmClassifier(
                sizes.vocabulary, sizes.embedding, sizes.hidden, sizes.length, sizes.classes, seed));
        return ExitCode.OK;
    }
}
