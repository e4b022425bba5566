package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.onnx.ExportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ExitCode;

/**
 * {@code tern convert --recursive IN OUT}: converts every {@code *.onnx} below IN to the same
 * relative path under OUT in one process, one report line per file, going on past failures.
 */
final class RecursiveConversion {
    private static final Logger LOG = LoggerFactory.getLogger(RecursiveConversion.class);
    private static final String MODEL_SUFFIX = ".onnx";

    private final Path inputRoot;
    private final Path outputRoot;
    private final ExportOptions options;
    private final PrintWriter out;

    RecursiveConversion(Path inputRoot, Path outputRoot, ExportOptions options, PrintWriter out) {
        this.inputRoot = inputRoot;
        this.outputRoot = outputRoot;
        this.options = options;
        this.out = out;
    }

    /**
     * Converts the tree, printing "{@code RELATIVE_PATH: ok}" or
     * "{@code RELATIVE_PATH: FAILED: reason}" per model and a summary line.
     *
     * @return {@code ExitCode.OK}, or {@code ExitCode.SOFTWARE} if any model failed
     * @throws CliFailure (usage) if IN is not a readable folder or OUT is IN itself
     */
    int run() {
        InputFiles.requireReadableDirectory(inputRoot);
        OutputFiles.requireNotSameFile(inputRoot, outputRoot);
        List<Path> models = findModels();
        int failed = 0;
        for (Path model : models) {
            Path relative = inputRoot.relativize(model);
            String failure = convert(model, outputRoot.resolve(relative.toString()));
            if (failure == null) {
                out.println(relative + ": ok");
            } else {
                out.println(relative + ": FAILED: " + failure);
                failed++;
            }
            out.flush();
        }
        out.printf(Locale.ROOT, "%d of %d models converted, %d failed%n", models.size() - failed, models.size(), failed);
        out.flush();
        return failed == 0 ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    /**
     * Every {@code *.onnx} file below the input folder, sorted, leaving out anything under
     * the output folder: when OUT lies inside IN, earlier results must not be converted again.
     */
    private List<Path> findModels() {
        Path outputAbsolute = outputRoot.toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(inputRoot)) {
            return files
                    .filter(file -> file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(MODEL_SUFFIX))
                    .filter(Files::isRegularFile)
                    .filter(file -> !file.toAbsolutePath().normalize().startsWith(outputAbsolute))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            throw CliFailure.inFile(inputRoot, e);
        }
    }

    /** Converts one model; returns null on success, else the reason it failed. */
    private String convert(Path model, Path target) {
        try {
            Model imported = ModelFiles.read(model);
            // Folders are made only for models that imported, so failures leave no empty ones.
            OutputFiles.createParentDirectories(target);
            ModelFiles.write(imported, target, options);
            return null;
        } catch (CliFailure failure) {
            LOG.debug("converting {} failed", model, failure);
            return model.equals(failure.file()) ? failure.reason() : failure.getMessage();
        } catch (RuntimeException bug) {
            // One model tripping a bug must not stop the batch; --verbose logs the stack trace.
            LOG.debug("converting {} failed", model, bug);
            return "internal error: " + bug.getClass().getName() + ": " + OneLine.of(bug);
        }
    }
}
