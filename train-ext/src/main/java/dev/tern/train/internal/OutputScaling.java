package dev.tern.train.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;
import dev.tern.train.TrainingException;

import java.util.List;

/**
 * Undoes a feature scaling on a model output, {@code output * divisors + offsets}: a Mul and an
 * Add node after the output's producer, the new value taking the output's name and place, so a
 * generator trained on scaled examples gives examples in the data's own scale. A pass that
 * works on a copy; it requires the output to exist and ensures a valid model.
 */
public final class OutputScaling extends Pass {
    private final String outputName;
    private final Tensor offsets;
    private final Tensor divisors;

    private OutputScaling(String outputName, Tensor offsets, Tensor divisors) {
        this.outputName = outputName;
        this.offsets = offsets;
        this.divisors = divisors;
    }

    /**
     * A copy of {@code model} whose output {@code outputName} is scaled back; {@code model} is unchanged.
     *
     * @param offsets added last, with the shape of one example (the output without its batch dimension)
     * @param divisors multiplied first, with the same shape
     * @throws TrainingException if the model has no such output
     */
    public static Model append(Model model, String outputName, Tensor offsets, Tensor divisors) {
        return TrainPasses.apply(new OutputScaling(outputName, offsets, divisors), model, TrainingException.class).model();
    }

    @Override
    public String name() {
        return "output-scaling";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        outputIndex(model.graph());
    }

    @Override
    protected boolean run(Model model) {
        Graph graph = model.graph();
        int index = outputIndex(graph);
        Value output = graph.outputs().get(index);
        output.rename(outputName + "_scaled");
        Value divisor = graph.addInitializer(divisors.withName(outputName + "_scaling_divisor"));
        Value offset = graph.addInitializer(offsets.withName(outputName + "_scaling_offset"));
        GraphEditor editor = GraphEditor.of(graph).append();
        Value restored = editor.addOp("Add", editor.addOp("Mul", output, divisor), offset);
        restored.setType(output.type());
        restored.rename(outputName);
        graph.setOutput(index, restored);
        return true;
    }

    @Override
    protected void ensures(Model model) {
        model.validate();
    }

    private int outputIndex(Graph graph) {
        List<String> names = graph.outputs().stream().map(Value::name).toList();
        int index = names.indexOf(outputName);
        if (index < 0) {
            throw new TrainingException("graph '" + graph.name() + "' has no output '" + outputName
                    + "' to scale; its outputs are " + names);
        }
        return index;
    }
}
