package dev.tern.train.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;

import java.util.Map;

/** The forward model with trained weights: same inputs, outputs and nodes, new initializer values. */
public final class InferenceExport {
    private InferenceExport() {
    }

    /** A copy of {@code model} whose initializers named in {@code weights} hold those tensors; {@code model} is unchanged. */
    public static Model withWeights(Model model, Map<String, Tensor> weights) {
        Model copy = model.copy();
        for (Map.Entry<String, Tensor> weight : weights.entrySet()) {
            copy.graph().initializers().get(weight.getKey()).setInitializer(weight.getValue().withName(weight.getKey()));
        }
        copy.validate();
        return copy;
    }
}
