package dev.tern.train.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;

import java.util.Map;

/**
 * The forward model with trained weights: same inputs, outputs and nodes, new initializer
 * values. A pass that works on a copy; it requires every weight to name an initializer of the
 * main graph and ensures a valid model.
 */
public final class InferenceExport extends Pass {
    private final Map<String, Tensor> weights;

    private InferenceExport(Map<String, Tensor> weights) {
        this.weights = weights;
    }

    /**
     * A copy of {@code model} whose initializers named in {@code weights} hold those tensors; {@code model} is unchanged.
     *
     * @throws dev.tern.ir.passes.PassException if a weight names no initializer of the main graph
     */
    public static Model withWeights(Model model, Map<String, Tensor> weights) {
        return new InferenceExport(weights).apply(model).model();
    }

    @Override
    public String name() {
        return "trained-weights";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        for (String name : weights.keySet()) {
            if (!model.graph().initializers().containsKey(name)) {
                throw new IllegalArgumentException("graph '" + model.graph().name() + "' has no initializer '" + name
                        + "' to hold a trained weight");
            }
        }
    }

    @Override
    protected boolean run(Model model) {
        for (Map.Entry<String, Tensor> weight : weights.entrySet()) {
            Value initializer = model.graph().initializers().get(weight.getKey());
            initializer.setInitializer(weight.getValue().withName(weight.getKey()));
        }
        return !weights.isEmpty();
    }

    @Override
    protected void ensures(Model model) {
        model.validate();
    }
}
