package dev.tern.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bearer token kept in a file, so that it stays out of the process list: the file's text, trimmed. */
final class BearerTokenFile {
    private BearerTokenFile() {
    }

    /** The token in {@code file}. @throws CliFailure (usage) naming the file if it cannot be read or is blank */
    static String read(Path file) {
        String token;
        try {
            token = Files.readString(file).strip();
        } catch (IOException e) {
            throw CliFailure.usage(file, "cannot read the bearer token: " + e.getMessage());
        }
        if (token.isEmpty()) {
            throw CliFailure.usage(file, "the bearer token file is empty");
        }
        return token;
    }
}
