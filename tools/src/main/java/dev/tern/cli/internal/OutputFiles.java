package dev.tern.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prepares the paths {@code tern convert} writes to. */
final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Refuses to write a model over the one being read. Its weights are memory-mapped from that
     * file, which some systems (Windows) cannot replace while it is mapped, and an untouched
     * input lets a failed or unwanted conversion be redone.
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
