package dev.tern.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks paths given on the command line before anything reads them, so a typo is reported
 * as bad usage (exit 2) rather than as a bad model.
 */
final class InputFiles {
    private InputFiles() {
    }

    /** @throws CliFailure (usage) unless {@code file} is a readable regular file */
    static void requireReadableFile(Path file) {
        if (!Files.exists(file)) {
            throw CliFailure.usage(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw CliFailure.usage(file, "not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw CliFailure.usage(file, "not readable");
        }
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
