package dev.tern.cli.internal;

import dev.tern.train.lora.LoraResult;
import dev.tern.train.lora.LoraSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code tern finetune}'s LoRA options: train low-rank adapters beside the MatMul and Gemm
 * weights of some scopes instead of the weights, and write the adapter and its base besides
 * the merged model.
 */
final class LoraOptions {
    @Option(names = "--lora", paramLabel = "RANK",
            description = "Train LoRA adapters of this rank beside the MatMul and Gemm weights in --lora-targets, and "
                    + "no weight of the model's own except a new classification head and those in --trainable. --out "
                    + "gets the adapters merged into the weights.")
    private Integer rank;

    @Option(names = "--lora-alpha", paramLabel = "A",
            description = "With --lora: the adapters' output is scaled by A / RANK (default: A = RANK).")
    private Double alpha;

    @Option(names = "--lora-dropout", paramLabel = "P",
            description = "With --lora: Dropout of ratio P, in [0, 1), on the adapters' inputs in training only "
                    + "(default 0: none); the written models have none.")
    private Double dropout;

    @Option(names = "--lora-targets", paramLabel = "SCOPE", arity = "1..*",
            description = "With --lora: the MatMul and Gemm weights that get adapters, by scope as for --freeze.")
    private List<String> targets = new ArrayList<>();

    @Option(names = "--adapter-out", paramLabel = "FILE.onnx_adapter",
            description = "With --lora: where to write the adapter alone (ONNX Runtime's adapter format), for "
                    + "--base-out's model and tern run --adapter.")
    private Path adapterOut;

    @Option(names = "--base-out", paramLabel = "BASE.onnx",
            description = "With --lora: where to write the original model with an optional input for every adapter "
                    + "parameter; without an adapter it gives the original outputs.")
    private Path baseOut;

    /** Whether LoRA was asked for. */
    boolean enabled() {
        return rank != null;
    }

    /**
     * Checks the options against each other before any data is read.
     *
     * @throws CliFailure (usage) naming the option at fault
     */
    void check() {
        if (!enabled()) {
            if (alpha != null || dropout != null || !targets.isEmpty() || adapterOut != null || baseOut != null) {
                throw CliFailure.usage("--lora-alpha, --lora-dropout, --lora-targets, --adapter-out and --base-out "
                        + "need --lora RANK");
            }
            return;
        }
        if (rank < 1) {
            throw CliFailure.usage("--lora must be at least 1, found " + rank);
        }
        if (targets.isEmpty()) {
            throw CliFailure.usage("--lora needs the weights to adapt: --lora-targets SCOPE...");
        }
        if (alpha != null && !Double.isFinite(alpha)) {
            throw CliFailure.usage("--lora-alpha must be a finite number, found " + alpha);
        }
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw CliFailure.usage("--lora-dropout must lie in [0, 1), found " + dropout);
        }
        for (String target : targets) {
            if (target.isEmpty()) {
                throw CliFailure.usage("--lora-targets: a scope is empty; name a layer prefix such as 'fc1'");
            }
        }
    }

    /** The output files LoRA writes, for the check that none is the input model. */
    List<Path> outputs() {
        List<Path> outputs = new ArrayList<>();
        if (adapterOut != null) {
            outputs.add(adapterOut);
        }
        if (baseOut != null) {
            outputs.add(baseOut);
        }
        return outputs;
    }

    /** The settings for {@link dev.tern.train.FineTune.Builder#lora}, adapters initialized from {@code seed}. */
    LoraSettings settings(long seed) {
        LoraSettings settings = LoraSettings.of(targets, rank).withSeed(seed);
        if (dropout != null) {
            settings = settings.withDropout(dropout);
        }
        return alpha == null ? settings : settings.withAlpha(alpha);
    }

    /** Writes the adapter and the base (with the merged model's scaling and class names), as asked. */
    void write(LoraResult result) {
        if (adapterOut != null) {
            OutputFiles.createParentDirectories(adapterOut);
            result.adapter().write(adapterOut);
        }
        if (baseOut != null) {
            OutputFiles.createParentDirectories(baseOut);
            ModelFiles.writeAtomically(result.base(), baseOut);
        }
    }
}
