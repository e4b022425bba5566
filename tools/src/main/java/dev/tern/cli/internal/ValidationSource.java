package dev.tern.cli.internal;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Validation data for the commands that train: a separate file or a fraction of the training data. */
final class ValidationSource {
    @Option(names = "--validation", paramLabel = "DATA", description = "Validation data, in the training data's format.")
    Path data;

    @Option(names = "--split", paramLabel = "FRACTION",
            description = "Hold out this fraction of the training data (stratified by class) for validation.")
    Double fraction;
}
