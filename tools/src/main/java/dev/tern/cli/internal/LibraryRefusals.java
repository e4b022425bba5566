package dev.tern.cli.internal;

import dev.tern.train.TrainingException;
import dev.tern.train.data.DatasetException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Turns the training library's refusals of what the options led to (data that cannot be read
 * or do not fit, a model that does not fit the task) into bad usage, exit 2.
 */
final class LibraryRefusals {
    private LibraryRefusals() {
    }

    /**
     * What {@code work} returns for the model read from {@code modelFile}.
     *
     * @throws CliFailure (usage) with the library's message when it refuses the data (the
     *     message names the file, line and column) or the model (prefixed with {@code modelFile})
     */
    static <T> T asUsage(Path modelFile, Supplier<T> work) {
        try {
            return work.get();
        } catch (DatasetException e) {
            throw CliFailure.usage(OneLine.of(e), e);
        } catch (TrainingException e) {
            throw CliFailure.usage(modelFile + ": " + OneLine.of(e), e);
        }
    }
}
