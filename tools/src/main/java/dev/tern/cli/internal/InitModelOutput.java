package dev.tern.cli.internal;

import dev.tern.ir.Model;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** What every {@code init-model} kind shares: the seed and the output file. */
final class InitModelOutput {
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initial weights (default: 0); the same seed gives the same file.")
    private long seed;

    @Option(names = "--out", required = true, paramLabel = "MODEL.onnx", description = "Where to write the model.")
    private Path out;

    long seed() {
        return seed;
    }

    /**
     * Builds the template from the seed and writes it, turning the sizes the template refuses
     * into a usage error of {@code command}.
     */
    void writeTemplate(CommandSpec command, LongFunction<Model> template) {
        Model model;
        try {
            model = template.apply(seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
        write(model, command.commandLine().getOut());
    }

    /** Writes {@code model} atomically and says so on {@code stdout}. */
    void write(Model model, PrintWriter stdout) {
        OutputFiles.createParentDirectories(out);
        ModelFiles.writeAtomically(model, out);
        long parameters = model.graph().initializers().values().stream()
                .mapToLong(value -> value.initializer().elementCount()).sum();
        stdout.println("wrote " + out + " (" + model.graph().name() + ", " + parameters + " parameters, input "
                + model.graph().inputs().get(0).type() + ", " + describeOutputs(model) + ")");
        stdout.flush();
    }

    /** "output TYPE" for one output, "outputs a TYPE, b TYPE" for several. */
    private static String describeOutputs(Model model) {
        var outputs = model.graph().outputs();
        if (outputs.size() == 1) {
            return "output " + outputs.get(0).type();
        }
        return "outputs " + outputs.stream().map(v -> v.name() + " " + v.type()).collect(Collectors.joining(", "));
    }
}
