package dev.tern.train.internal;

import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;
import dev.tern.ir.passes.PassManager;
import dev.tern.train.TrainingException;

import java.util.List;
import java.util.Map;

/**
 * The forward model with trained weights, for inference: same inputs, outputs and nodes, new
 * initializer values, each random op replaced by its mean ({@link NoiseMeans}) and batch-first
 * recurrent nodes rewritten time-major ({@link TimeMajorRecurrence}) so that ONNX Runtime runs
 * the model; or a part of it cut out ({@link GraphCut}). This pass puts the trained weights into
 * a copy; it requires every weight to name an initializer of the main graph and ensures a valid
 * model. {@link #withWeights} and {@link #part} run it with the others.
 */
public final class InferenceExport extends Pass {
    private final Map<String, Tensor> weights;

    private InferenceExport(Map<String, Tensor> weights) {
        this.weights = weights;
    }

    /**
     * A copy of {@code model} whose initializers named in {@code weights} hold those tensors
     * and whose random ops are replaced by their means; {@code model} is unchanged.
     *
     * @throws dev.tern.train.TrainingException if a random op has no mean to stand for it
     * @throws dev.tern.ir.passes.PassException if a weight names no initializer of the main graph
     */
    public static Model withWeights(Model model, Map<String, Tensor> weights) {
        return TrainPasses.apply(forInference(weights).build(), model, TrainingException.class).model();
    }

    private static PassManager.Builder forInference(Map<String, Tensor> weights) {
        return PassManager.builder()
                .add(new InferenceExport(weights))
                .add(new TimeMajorRecurrence())
                .add(new NoiseMeans());
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

    /**
     * {@link #withWeights} cut to the part from {@code inputs} (model inputs or inner values,
     * which become inputs) to {@code outputs}.
     *
     * @throws dev.tern.train.TrainingException if a name is not a value of the model
     */
    public static Model part(Model model, Map<String, Tensor> weights, List<String> inputs, List<String> outputs) {
        PassManager passes = forInference(weights).add(new GraphCut(inputs, outputs)).build();
        return TrainPasses.apply(passes, model, TrainingException.class).model();
    }
}
