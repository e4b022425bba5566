package dev.tern.train.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;

import java.util.Map;

/**
 * The forward model with trained weights: same inputs, outputs and nodes, new initializer
 * values; batch-first recurrent nodes are rewritten time-major ({@link TimeMajorRecurrence})
 * so that ONNX Runtime runs the model.
 */
public final class InferenceExport {
    private InferenceExport() {
    }

    /** A copy of {@code model} whose initializers named in {@code weights} hold those tensors; {@code model} is unchanged. */
    public static Model withWeights(Model model, Map<String, Tensor> weights) {
        Model copy = ModelCopy.of(model);
        TimeMajorRecurrence.rewrite(copy.graph());
        for (Map.Entry<String, Tensor> weight : weights.entrySet()) {
            copy.graph().initializers().get(weight.getKey()).setInitializer(weight.getValue().withName(weight.getKey()));
        }
        copy.validate();
        return copy;
    }
}
