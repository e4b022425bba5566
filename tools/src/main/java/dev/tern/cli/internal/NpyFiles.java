package dev.tern.cli.internal;

import dev.tern.ir.NpyFormat;
import dev.tern.ir.Tensor;
import dev.tern.ir.TernException;
import java.io.IOException;
import java.nio.file.Path;

/** Reads run inputs from {@code .npy} files and writes outputs to them, naming the input or output in every failure. */
final class NpyFiles {
    private NpyFiles() {
    }

    /**
     * Reads the tensor for {@code input} from {@code file}, named after the input.
     *
     * @throws CliFailure usage (2) if the file is missing or unreadable, 1 if it is no valid .npy file
     */
    static Tensor readInput(String input, Path file) {
        String role = "input '" + input + "'";
        InputFiles.requireReadableFile(file, role);
        try {
            return NpyFormat.read(file).withName(input);
        } catch (IOException | TernException e) {
            String reason = OneLine.of(e);
            throw CliFailure.failed(role + ": " + (reason.startsWith(file.toString()) ? "" : file + ": ") + reason, e);
        }
    }

    /**
     * Writes output {@code tensor} to {@code file}.
     *
     * @throws dev.tern.ir.NpyFormatException if numpy has no dtype for its element type
     * @throws CliFailure (1) naming the output and file if the file cannot be written
     */
    static void writeOutput(Tensor tensor, Path file) {
        try {
            NpyFormat.write(tensor, file);
        } catch (IOException e) {
            throw CliFailure.failed("output '" + tensor.name() + "': " + OneLine.of(e), e);
        }
    }
}
