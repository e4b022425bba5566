package dev.tern.compress.prune;

import dev.tern.compress.prune.internal.LayerWeights;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unstructured magnitude pruning: the entries of smallest absolute value in the layer weights
 * (float32 kernels of Conv, Gemm and MatMul) are set to zero, exactly {@code round(sparsity * n)}
 * of the {@code n} ranked entries (ties broken by position, so the count is exact).
 *
 * <pre>{@code
 * Model pruned = MagnitudePruning.prune(model, 0.8, SparsityScope.GLOBAL);
 * }</pre>
 */
public final class MagnitudePruning {
    private MagnitudePruning() {
    }

    /**
     * The masks that prune {@code sparsity} of the layer weights of {@code model}, ranked as
     * {@code scope} says. Entries already zero rank lowest, so raising the sparsity step by step
     * keeps every entry pruned before.
     *
     * @throws IllegalArgumentException if {@code sparsity} is not in [0, 1)
     * @throws PruningException if the model has no Conv, Gemm or MatMul float32 weight initializer
     */
    public static PruningMasks masks(Model model, double sparsity, SparsityScope scope) {
        requireSparsity(sparsity);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : LayerWeights.of(model).keySet()) {
            weights.put(name, model.graph().initializers().get(name).initializer());
        }
        if (weights.isEmpty()) {
            throw new PruningException("model graph '" + model.graph().name()
                    + "' has no float32 Conv, Gemm or MatMul weight initializer to prune");
        }
        Map<String, Tensor> masks = new LinkedHashMap<>();
        if (scope == SparsityScope.PER_LAYER) {
            weights.forEach((name, weight) -> masks.putAll(rankedMasks(List.of(weight), sparsity)));
        } else {
            masks.putAll(rankedMasks(new ArrayList<>(weights.values()), sparsity));
        }
        return new PruningMasks(masks);
    }

    /**
     * A copy of {@code model} (weights not pruned are shared) with {@code sparsity} of its layer
     * weights set to zero.
     *
     * @throws IllegalArgumentException if {@code sparsity} is not in [0, 1)
     * @throws PruningException if the model has no weight to prune
     */
    public static Model prune(Model model, double sparsity, SparsityScope scope) {
        return masks(model, sparsity, scope).applyTo(model);
    }

    static void requireSparsity(double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be at least 0 and below 1, found " + sparsity);
        }
    }

    /** Masks pruning the {@code round(sparsity * n)} smallest magnitudes among all entries of {@code weights}. */
    private static Map<String, Tensor> rankedMasks(List<Tensor> weights, double sparsity) {
        int total = weights.stream().mapToInt(weight -> Math.toIntExact(weight.elementCount())).sum();
        float[] magnitudes = new float[total];
        int offset = 0;
        for (Tensor weight : weights) {
            for (float value : weight.toFloatArray()) {
                magnitudes[offset++] = Math.abs(value);
            }
        }
        int pruneCount = (int) Math.round(sparsity * total);
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        float threshold = pruneCount == 0 ? Float.NEGATIVE_INFINITY : sorted[pruneCount - 1];
        int below = 0;
        while (below < pruneCount && sorted[below] < threshold) {
            below++;
        }
        int tiesToPrune = pruneCount - below;
        Map<String, Tensor> masks = new LinkedHashMap<>();
        offset = 0;
        for (Tensor weight : weights) {
            float[] keep = new float[Math.toIntExact(weight.elementCount())];
            for (int i = 0; i < keep.length; i++) {
                float magnitude = magnitudes[offset++];
                boolean pruned = magnitude < threshold || magnitude == threshold && tiesToPrune-- > 0;
                keep[i] = pruned ? 0f : 1f;
            }
            masks.put(weight.name(), Tensor.ofFloats(weight.name() + ".mask", weight.dims(), keep));
        }
        return masks;
    }
}
