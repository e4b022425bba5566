package dev.tern.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks paths given on the command line before anything reads them, so a typo is reported
 * as bad usage (exit 2) rather than as a bad model.
 */
final class InputFiles {
    private InputFiles() {
    }

    /** @throws CliFailure (usage) unless {@code file} is a readable regular file */
    static void requireReadableFile(Path file) {
        fileProblem(file).ifPresent(problem -> {
            throw CliFailure.usage(file, problem);
        });
    }

    /**
     * Like {@link #requireReadableFile(Path)}, for a file that plays a {@code role} the message
     * starts with ("input 'ids'"), so a user with several files knows which one is meant.
     */
    static void requireReadableFile(Path file, String role) {
        fileProblem(file).ifPresent(problem -> {
            throw CliFailure.usage(role + ": " + file + ": " + problem);
        });
    }

    private static Optional<String> fileProblem(Path file) {
        if (!Files.exists(file)) {
            return Optional.of("no such file");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("not a regular file");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("not readable");
        }
        return Optional.empty();
    }

    /** @throws CliFailure (usage) unless {@code directory} is a readable directory */
    static void requireReadableDirectory(Path directory) {
        if (!Files.exists(directory)) {
            throw CliFailure.usage(directory, "no such directory");
        }
        if (!Files.isDirectory(directory)) {
            throw CliFailure.usage(directory, "not a directory");
        }
        if (!Files.isReadable(directory)) {
            throw CliFailure.usage(directory, "not readable");
        }
    }
}
