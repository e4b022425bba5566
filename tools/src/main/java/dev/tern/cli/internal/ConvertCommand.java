package dev.tern.cli.internal;

import dev.tern.ir.Model;
import dev.tern.onnx.ExportOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tern convert IN OUT}: import a model and export it again, optionally moving its
 * weights to an external data file; with {@code --recursive}, a whole folder tree.
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Import an ONNX model and write it back out.",
            "For example, to move its weights to an external data file. With --recursive, convert "
                    + "every *.onnx below IN to the same relative path under OUT, report each file, "
                    + "and exit 1 if any failed."})
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "The model to read (a folder with --recursive).")
    private Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Where to write it (a folder with --recursive).")
    private Path output;

    @Option(names = "--recursive", description = "IN and OUT are folders: convert every *.onnx below IN.")
    private boolean recursive;

    @Option(names = "--external-data",
            description = "Store tensors in an external data file next to the written model.")
    private boolean externalData;

    @Option(names = "--size-threshold", paramLabel = "BYTES",
            description = "With --external-data: tensors smaller than this stay inside the model.")
    private Long sizeThreshold;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ExportOptions options = exportOptions();
        if (recursive) {
            return new RecursiveConversion(input, output, options, spec.commandLine().getOut()).run();
        }
        InputFiles.requireReadableFile(input);
        OutputFiles.requireNotSameFile(input, output);
        Model imported = ModelFiles.read(input);
        OutputFiles.createParentDirectories(output);
        ModelFiles.write(imported, output, options);
        return ExitCode.OK;
    }

    private ExportOptions exportOptions() {
        if (sizeThreshold != null && !externalData) {
            throw new ParameterException(spec.commandLine(), "--size-threshold needs --external-data");
        }
        if (sizeThreshold != null && sizeThreshold < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--size-threshold must be at least 0, found " + sizeThreshold);
        }
        ExportOptions.Builder builder = ExportOptions.builder().externalData(externalData);
        if (sizeThreshold != null) {
            builder.sizeThreshold(sizeThreshold);
        }
        return builder.build();
    }
}
