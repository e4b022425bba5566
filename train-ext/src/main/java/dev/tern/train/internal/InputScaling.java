package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.ir.passes.Pass;
import dev.tern.train.TrainingException;

import java.util.Arrays;
import java.util.List;

/**
 * Puts {@code (input - offsets) / divisors} in front of everything that reads a model input:
 * a Sub and a Div node, both broadcasting a per-feature constant over the batch dimension.
 * Written in the model's own opset, so the result imports nothing new. A pass that works on a
 * copy; it requires the input to exist as float {@code [batch, ...example shape]} and a
 * broadcasting opset, and ensures a valid model.
 */
public final class InputScaling extends Pass {
    /** The first ai.onnx opset whose Sub and Div broadcast like NumPy. */
    private static final long BROADCASTING_OPSET = 7;

    private final String inputName;
    private final Tensor offsets;
    private final Tensor divisors;

    private InputScaling(String inputName, Tensor offsets, Tensor divisors) {
        this.inputName = inputName;
        this.offsets = offsets;
        this.divisors = divisors;
    }

    /**
     * A copy of {@code model} whose nodes read the scaled input instead of {@code inputName};
     * {@code model} is unchanged.
     *
     * @param offsets subtracted first, with the shape of one example (the input without its
     *     batch dimension)
     * @param divisors divided by next, with the same shape
     * @throws TrainingException if the input is missing, is not float
     *     {@code [batch, ...example shape]}, or the model's opset predates broadcasting
     */
    public static Model prepend(Model model, String inputName, Tensor offsets, Tensor divisors) {
        return TrainPasses.apply(new InputScaling(inputName, offsets, divisors), model, TrainingException.class).model();
    }

    @Override
    public String name() {
        return "input-scaling";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        requireExampleShape(input(model.graph()), offsets.dims());
        long opset = Ops.defaultOpset(model).orElse(0);
        if (opset < BROADCASTING_OPSET) {
            throw new TrainingException("graph '" + model.graph().name() + "': scaling input '" + inputName
                    + "' needs broadcasting Sub and Div (ai.onnx opset " + BROADCASTING_OPSET + " or later), found imports "
                    + model.opsetImports());
        }
    }

    @Override
    protected boolean run(Model model) {
        Graph graph = model.graph();
        Value input = input(graph);
        // Taken before the new nodes exist: they are the readers that must keep reading the raw input.
        List<Value.Use> readers = List.copyOf(input.uses());
        GraphEmitter emitter = new GraphEmitter(graph);
        if (graph.nodeCount() > 0) {
            emitter.insertBefore(graph.nodes().get(0));
        }
        Value offset = graph.addInitializer(offsets.withName(emitter.fresh(inputName + "_scaling_offset")));
        Value divisor = graph.addInitializer(divisors.withName(emitter.fresh(inputName + "_scaling_divisor")));
        Value scaled = emitter.op("Div", emitter.op("Sub", input, offset), divisor);
        scaled.setType(input.type());
        for (Value.Use reader : readers) {
            reader.node().setInput(reader.inputIndex(), scaled);
        }
        return true;
    }

    @Override
    protected void ensures(Model model) {
        model.validate();
    }

    private Value input(Graph graph) {
        return graph.inputs().stream().filter(value -> value.name().equals(inputName)).findFirst()
                .orElseThrow(() -> new TrainingException("graph '" + graph.name() + "' has no input '" + inputName
                        + "' to scale; its inputs are " + graph.inputs().stream().map(Value::name).toList()));
    }

    private static void requireExampleShape(Value input, long[] exampleShape) {
        boolean fits = input.type() instanceof ValueType.TensorType tensor
                && tensor.elementType() == ElementType.FLOAT
                && tensor.shape().isRankKnown()
                && tensor.shape().rank() == exampleShape.length + 1
                && fitsExample(tensor.shape().dims().subList(1, tensor.shape().rank()), exampleShape);
        if (!fits) {
            throw new TrainingException("input '" + input.name() + "' is " + input.type() + "; the scaling was computed"
                    + " for float [batch, " + Arrays.toString(exampleShape).replaceAll("[\\[\\]]", "") + "]");
        }
    }

    /** Whether every known dimension equals the example's; a symbolic one may take any size. */
    private static boolean fitsExample(List<Dim> dims, long[] exampleShape) {
        for (int i = 0; i < exampleShape.length; i++) {
            if (dims.get(i) instanceof Dim.Known known && known.size() != exampleShape[i]) {
                return false;
            }
        }
        return true;
    }
}
