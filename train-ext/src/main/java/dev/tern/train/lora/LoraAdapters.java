package dev.tern.train.lora;

import dev.tern.exec.AdapterFile;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.TrainingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * From trained adapters to what ONNX Runtime runs: the adapter file, and the base model's
 * extra optional inputs for weights an adapter replaces whole (a task head).
 */
public final class LoraAdapters {
    private LoraAdapters() {
    }

    /**
     * The adapter file of adapters trained in a {@link LoraInsertion#forTraining} graph: each
     * {@code A} as trained, each {@code B} times {@code scale} (the base ONNX Runtime runs has
     * no scale of its own), then each of {@code replaced} as trained.
     *
     * @param weights trained values by name, holding every target's {@code A} and {@code B}
     *     and every name in {@code replaced}
     * @throws TrainingException naming the first weight {@code weights} lacks
     */
    public static AdapterFile fromTraining(List<LoraTarget> targets, double scale, Map<String, Tensor> weights,
                                           List<String> replaced) {
        List<Tensor> parameters = new ArrayList<>();
        for (LoraTarget target : targets) {
            parameters.add(required(weights, target.aName()));
            parameters.add(scaled(required(weights, target.bName()), (float) scale));
        }
        for (String name : replaced) {
            parameters.add(required(weights, name));
        }
        return AdapterFile.of(parameters);
    }

    /**
     * Makes the initializers {@code names} of {@code base}'s main graph optional inputs too, so
     * that an adapter can replace them whole and a run without one uses them as they are.
     *
     * @throws TrainingException if a name is no initializer of the graph
     */
    public static void addOptionalInputs(Model base, List<String> names) {
        Graph graph = base.graph();
        for (String name : names) {
            Value value = graph.initializers().get(name);
            if (value == null) {
                throw new TrainingException("model graph '" + graph.name() + "' has no initializer '" + name
                        + "' to make an optional input");
            }
            if (!graph.inputs().contains(value)) {
                graph.addInput(value);
            }
        }
    }

    private static Tensor required(Map<String, Tensor> weights, String name) {
        Tensor tensor = weights.get(name);
        if (tensor == null) {
            throw new TrainingException("no trained weight '" + name + "' among " + weights.keySet());
        }
        return tensor.withName(name);
    }

    private static Tensor scaled(Tensor tensor, float scale) {
        float[] values = tensor.toFloatArray();
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            data.putFloat(value * scale);
        }
        return Tensor.of(tensor.name(), tensor.elementType(), tensor.dims(), data.flip());
    }
}
