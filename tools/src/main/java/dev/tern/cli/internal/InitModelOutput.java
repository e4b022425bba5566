package dev.tern.cli.internal;

import dev.tern.ir.Model;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code init-model mlp} and {@code init-model cnn} share: the seed and the output file. */
final class InitModelOutput {
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initial weights (default: 0); the same seed gives the same file.")
    private long seed;

    @Option(names = "--out", required = true, paramLabel = "MODEL.onnx", description = "Where to write the model.")
    private Path out;

    long seed() {
        return seed;
    }

    /** Writes {@code model} atomically and says so on {@code stdout}. */
    void write(Model model, PrintWriter stdout) {
        OutputFiles.createParentDirectories(out);
        ModelFiles.writeAtomically(model, out);
        long parameters = model.graph().initializers().values().stream()
                .mapToLong(value -> value.initializer().elementCount()).sum();
        stdout.println("wrote " + out + " (" + model.graph().name() + ", " + parameters + " parameters, input "
                + model.graph().inputs().get(0).type() + ", output " + model.graph().outputs().get(0).type() + ")");
        stdout.flush();
    }
}
