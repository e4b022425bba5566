package dev.tern.cli.internal;

import dev.tern.train.models.ModelTemplates;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tern init-model cnn --channels N --height N --width N --classes N --out FILE}. */
@Command(name = "cnn",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A small CNN: two 3x3 convolutions (16 and 32 channels) with ReLU, a 2x2 max pool, "
                + "a dense layer of 64 with ReLU and a dense layer to class logits.")
public final class InitCnnCommand implements Callable<Integer> {
    @Option(names = "--channels", paramLabel = "N", description = "Image channels (default: 1).")
    private int channels = 1;

    @Option(names = "--height", required = true, paramLabel = "N", description = "Image height in pixels.")
    private int height;

    @Option(names = "--width", required = true, paramLabel = "N", description = "Image width in pixels.")
    private int width;

    @Option(names = "--classes", required = true, paramLabel = "N", description = "Number of classes.")
    private int classes;

    @Mixin
    private InitModelOutput output;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        output.writeTemplate(spec, seed -> ModelTemplates.cnn(channels, height, width, classes, seed));
        return ExitCode.OK;
    }
}
