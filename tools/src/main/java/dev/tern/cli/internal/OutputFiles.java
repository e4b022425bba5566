package dev.tern.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prepares the paths {@code tern convert} writes to. */
final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Refuses to write a model over the one being read: its weights are memory-mapped from
     * that very file, so replacing it would corrupt the data while they are being written.
     *
     * @throws CliFailure (usage) if both paths name the same existing file or folder
     */
    static void requireNotSameFile(Path input, Path output) {
        try {
            if (Files.exists(output) && Files.isSameFile(input, output)) {
                throw CliFailure.usage(output, "is the input itself; write to another path");
            }
        } catch (IOException e) {
            throw CliFailure.inFile(output, e);
        }
    }

    /** Creates the folder {@code file} goes into, with its parents, if missing. */
    static void createParentDirectories(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw CliFailure.inFile(parent, e);
        }
    }
}
