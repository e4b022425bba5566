package dev.tern.train.lora;

import java.util.List;
import java.util.Objects;

/**
 * How {@link dev.tern.train.FineTune} trains LoRA adapters: beside which weights, of what
 * rank and scale ({@code alpha / rank}), the dropout ratio on the adapters' inputs in training,
 * and the seed of their initial {@code A}. Immutable; the {@code with} methods return changed
 * copies, and {@link #insertion()} checks the values.
 */
public record LoraSettings(LoraTargets targets, int rank, double alpha, double dropout, long seed) {
    public LoraSettings {
        Objects.requireNonNull(targets, "targets");
    }

    /**
     * Adapters of {@code rank} beside the MatMul and Gemm weights in {@code scopes}, with
     * {@code alpha = rank} (a scale of 1), no dropout and seed 0.
     *
     * @throws IllegalArgumentException if there is no scope or one is empty
     */
    public static LoraSettings of(List<String> scopes, int rank) {
        return new LoraSettings(LoraTargets.inScopes(scopes), rank, rank, 0, 0);
    }

    public LoraSettings withAlpha(double newAlpha) {
        return new LoraSettings(targets, rank, newAlpha, dropout, seed);
    }

    /** These settings with Dropout of ratio {@code newDropout} on the adapters' inputs in training (0: none). */
    public LoraSettings withDropout(double newDropout) {
        return new LoraSettings(targets, rank, alpha, newDropout, seed);
    }

    public LoraSettings withSeed(long newSeed) {
        return new LoraSettings(targets, rank, alpha, dropout, newSeed);
    }

    /**
     * The pass that inserts these adapters for training.
     *
     * @throws IllegalArgumentException if the rank is below 1, alpha is not finite or the
     *     dropout ratio is outside [0, 1)
     */
    public LoraInsertion insertion() {
        return LoraInsertion.forTraining(targets, rank, alpha, dropout, seed);
    }
}
