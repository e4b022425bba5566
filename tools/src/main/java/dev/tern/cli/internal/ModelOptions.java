package dev.tern.cli.internal;

import dev.tern.exec.Adapter;
import dev.tern.exec.CompiledModel;
import dev.tern.exec.ExecException;
import dev.tern.exec.RunControl;
import dev.tern.exec.Runtime;
import dev.tern.exec.SessionConfig;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code run} and {@code bench} share: the model file, ONNX Runtime's threads, --dim and --adapter. */
final class ModelOptions {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    private Path model;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads ONNX Runtime uses inside one operator; 0 (the default) lets it choose.")
    private int threads;

    @Option(names = "--dim", paramLabel = "NAME=SIZE",
            description = "Size of a symbolic dimension of the generated inputs, for example --dim batch=8. "
                    + "Symbolic dimensions left unset are 1.")
    private Map<String, Long> dims = new LinkedHashMap<>();

    @Option(names = "--adapter", paramLabel = "FILE",
            description = "Apply this LoRA adapter (.onnx_adapter, ONNX Runtime's format) to every run; the model "
                    + "must have its parameters as inputs with defaults, such as the base model tern finetune "
                    + "--lora writes.")
    private Path adapter;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    Path model() {
        return model;
    }

    /** The --dim sizes by name. @throws ParameterException for a size below 1 */
    Map<String, Long> dims() {
        for (Map.Entry<String, Long> dim : dims.entrySet()) {
            if (dim.getValue() < 1) {
                throw new ParameterException(spec.commandLine(), "--dim " + dim.getKey() + "=" + dim.getValue()
                        + ": a dimension's size must be at least 1");
            }
        }
        return dims;
    }

    /**
     * Compiles the model on {@code runtime} straight from its file, the fastest way to open an
     * unchanged model.
     *
     * @throws ParameterException for a negative --threads
     * @throws CliFailure naming the file if it is missing (usage) or ONNX Runtime refuses it
     */
    CompiledModel open(Runtime runtime) {
        if (threads < 0) {
            throw new ParameterException(spec.commandLine(), "--threads must be 0 or more, found " + threads);
        }
        InputFiles.requireReadableFile(model);
        SessionConfig config = SessionConfig.builder().intraOpThreads(threads).build();
        try {
            return runtime.open(model, config);
        } catch (ExecException e) {
            throw CliFailure.inFile(model, e);
        }
    }

    /** The --adapter file, or null. */
    Path adapterFile() {
        return adapter;
    }

    /**
     * Loads the --adapter file on {@code runtime}; null without --adapter. The caller closes it.
     *
     * @throws CliFailure naming the file if it is missing (usage), not an adapter or refused by ONNX Runtime
     */
    Adapter loadAdapter(Runtime runtime) {
        if (adapter == null) {
            return null;
        }
        InputFiles.requireReadableFile(adapter, "--adapter");
        try {
            return runtime.loadAdapter(adapter);
        } catch (ExecException e) {
            throw CliFailure.inFile(adapter, e);
        } catch (UncheckedIOException e) {
            throw CliFailure.inFile(adapter, e.getCause());
        }
    }

    /** Runs that apply {@code adapter}, or plain runs when it is null. */
    static RunControl control(Adapter adapter) {
        return adapter == null ? RunControl.none() : RunControl.adapter(adapter);
    }

    /** The intra-op thread count asked for; 0 means ONNX Runtime's choice. */
    int threads() {
        return threads;
    }
}
