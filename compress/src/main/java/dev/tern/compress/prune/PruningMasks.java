package dev.tern.compress.prune;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which entries of which weights are pruned: one float32 tensor of the weight's shape per
 * weight, 1 where the entry is kept and 0 where it is pruned, by weight name in graph order.
 * Immutable.
 */
public final class PruningMasks {
    private final Map<String, Tensor> masks;

    PruningMasks(Map<String, Tensor> masks) {
        this.masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
    }

    /** The masks by weight name. */
    public Map<String, Tensor> byWeight() {
        return masks;
    }

    /** The number of pruned entries over all masks. */
    public long prunedCount() {
        long pruned = 0;
        for (Tensor mask : masks.values()) {
            for (float keep : mask.toFloatArray()) {
                if (keep == 0) {
                    pruned++;
                }
            }
        }
        return pruned;
    }

    /** The pruned fraction of all masked entries. */
    public double sparsity() {
        long total = masks.values().stream().mapToLong(Tensor::elementCount).sum();
        return total == 0 ? 0 : (double) prunedCount() / total;
    }

    /**
     * A copy of {@code model} (weights shared) whose masked weights hold exact (positive) zeros
     * where their masks do.
     *
     * @throws PruningException if a masked weight is missing or has another shape
     */
    public Model applyTo(Model model) {
        Model pruned = model.copy();
        masks.forEach((name, mask) -> {
            Value weight = pruned.graph().initializers().get(name);
            if (weight == null || weight.initializer() == null
                    || !Arrays.equals(weight.initializer().dims(), mask.dims())) {
                throw new PruningException("model graph '" + model.graph().name() + "': mask for '" + name + "' is "
                        + Arrays.toString(mask.dims()) + " but the model's weight is "
                        + (weight == null || weight.initializer() == null ? "missing" : weight.initializer()));
            }
            weight.setInitializer(masked(weight.initializer(), mask));
        });
        return pruned;
    }

    /**
     * {@code weight} times {@code mask}, with pruned entries set to +0: a negative weight times 0
     * is -0, which compares equal to 0 but is another bit pattern, and files should hold one zero.
     */
    static Tensor masked(Tensor weight, Tensor mask) {
        float[] values = weight.toFloatArray();
        float[] keep = mask.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = keep[i] == 0 ? 0f : values[i];
        }
        return Tensor.ofFloats(weight.name(), weight.dims(), values);
    }
}
