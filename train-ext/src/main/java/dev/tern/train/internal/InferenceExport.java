package dev.tern.train.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;

import java.util.List;
import java.util.Map;

/**
 * The forward model with trained weights, for inference: same inputs, outputs and nodes, new
 * initializer values, and each random op replaced by its mean; or a part of it cut out.
 */
public final class InferenceExport {
    private InferenceExport() {
    }

    /**
     * A copy of {@code model} whose initializers named in {@code weights} hold those tensors
     * and whose random ops are replaced by their means; {@code model} is unchanged.
     *
     * @throws dev.tern.train.TrainingException if a random op has no mean to stand for it
     */
    public static Model withWeights(Model model, Map<String, Tensor> weights) {
        Model copy = ModelCopy.of(model);
        for (Map.Entry<String, Tensor> weight : weights.entrySet()) {
            copy.graph().initializers().get(weight.getKey()).setInitializer(weight.getValue().withName(weight.getKey()));
        }
        if (copy.graph().nodes().stream().anyMatch(RandomOps::isRandom)) {
            NoiseMeans.replace(copy);
        }
        copy.validate();
        return copy;
    }

    /**
     * {@link #withWeights} cut to the part from {@code inputs} (model inputs or inner values,
     * which become inputs) to {@code outputs}.
     *
     * @throws dev.tern.train.TrainingException if a name is not a value of the model
     */
    public static Model part(Model model, Map<String, Tensor> weights, List<String> inputs, List<String> outputs) {
        Model copy = withWeights(model, weights);
        GraphCut.apply(copy, inputs, outputs);
        copy.validate();
        return copy;
    }
}
