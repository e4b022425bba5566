package dev.tern.train.lora;

import java.util.List;
import java.util.Objects;

/**
 * How {@link dev.tern.train.FineTune} trains LoRA adapters: beside which weights, of what
 * rank and scale ({@code alpha / rank}), and the seed of their initial {@code A}. Immutable;
 * the {@code with} methods return changed copies, and {@link #insertion()} checks the values.
 * (No dropout on the adapters' inputs: the autodiff has no gradient rule for training-mode
 * Dropout.)
 */
public record LoraSettings(LoraTargets targets, int rank, double alpha, long seed) {
    public LoraSettings {
        Objects.requireNonNull(targets, "targets");
    }

    /**
     * Adapters of {@code rank} beside the MatMul and Gemm weights in {@code scopes}, with
     * {@code alpha = rank} (a scale of 1) and seed 0.
     *
     * @throws IllegalArgumentException if there is no scope or one is empty
     */
    public static LoraSettings of(List<String> scopes, int rank) {
        return new LoraSettings(LoraTargets.inScopes(scopes), rank, rank, 0);
    }

    public LoraSettings withAlpha(double newAlpha) {
        return new LoraSettings(targets, rank, newAlpha, seed);
    }

    public LoraSettings withSeed(long newSeed) {
        return new LoraSettings(targets, rank, alpha, newSeed);
    }

    /**
     * The pass that inserts these adapters for training.
     *
     * @throws IllegalArgumentException if the rank is below 1 or alpha is not finite
     */
    public LoraInsertion insertion() {
        return LoraInsertion.forTraining(targets, rank, alpha, seed);
    }
}
