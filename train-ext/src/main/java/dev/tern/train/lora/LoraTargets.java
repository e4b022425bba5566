package dev.tern.train.lora;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.TrainingException;
import dev.tern.train.WeightSelection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which MatMul and Gemm weights get adapters: those in one of the scopes, in
 * {@link WeightSelection}'s sense (the weight's name, or the name of a node reading it with
 * slashes read as dots, starts with the scope). For MiniLM the scope {@code encoder} takes
 * every attention projection (query, key, value, output) and both feed-forward layers of
 * every layer; {@code encoder.layer.5.attention} only the last layer's attention.
 *
 * <p>A node qualifies when it is a MatMul whose second input is a float initializer of rank
 * 2, or a Gemm with {@code transA = 0} whose second input is one. Matmuls of two activations
 * (attention scores) never do. Immutable.
 */
public final class LoraTargets {
    /** How many weight names an error lists. */
    private static final int ERROR_SAMPLE_SIZE = 5;
    private final List<String> scopes;

    private LoraTargets(List<String> scopes) {
        this.scopes = scopes;
    }

    /**
     * The weights in any of {@code scopes}.
     *
     * @throws IllegalArgumentException if there is no scope or one is empty
     */
    public static LoraTargets inScopes(List<String> scopes) {
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target scope");
        }
        for (String scope : scopes) {
            if (scope.isEmpty()) {
                throw new IllegalArgumentException("a LoRA target scope is empty; name a layer prefix such as 'encoder'");
            }
        }
        return new LoraTargets(List.copyOf(scopes));
    }

    public List<String> scopes() {
        return scopes;
    }

    /**
     * The targets in {@code model}'s main graph, in node order.
     *
     * @throws TrainingException if a scope matches no MatMul or Gemm weight, or two targets
     *     would get the same name
     */
    public List<LoraTarget> find(Model model) {
        Objects.requireNonNull(model, "model");
        List<LoraTarget> targets = new ArrayList<>();
        Map<String, LoraTarget> byName = new HashMap<>();
        boolean[] scopeUsed = new boolean[scopes.size()];
        for (Node node : model.graph().nodes()) {
            Value weight = eligibleWeight(node);
            if (weight == null) {
                continue;
            }
            boolean chosen = false;
            for (int i = 0; i < scopes.size(); i++) {
                if (WeightSelection.inScope(model, weight.name(), scopes.get(i))) {
                    scopeUsed[i] = true;
                    chosen = true;
                }
            }
            if (chosen) {
                LoraTarget target = target(node, weight);
                LoraTarget clash = byName.put(target.name(), target);
                if (clash != null) {
                    throw new TrainingException("model graph '" + model.graph().name() + "': LoRA targets "
                            + clash.node().describe() + " and " + node.describe() + " would both be named '"
                            + target.name() + "'; name the nodes");
                }
                targets.add(target);
            }
        }
        for (int i = 0; i < scopes.size(); i++) {
            if (!scopeUsed[i]) {
                throw new TrainingException("model graph '" + model.graph().name() + "': LoRA target scope '"
                        + scopes.get(i) + "' matches no MatMul or Gemm weight (a float initializer of rank 2); "
                        + eligibleWeightsSample(model));
            }
        }
        return targets;
    }

    /** A few of the weights a scope could match, so that an error shows how they are named. */
    private static String eligibleWeightsSample(Model model) {
        List<String> names = new ArrayList<>();
        int count = 0;
        for (Node node : model.graph().nodes()) {
            Value weight = eligibleWeight(node);
            if (weight != null) {
                if (names.size() < ERROR_SAMPLE_SIZE) {
                    names.add(weight.name() + (node.name().isEmpty() ? "" : " (read by " + node.name() + ")"));
                }
                count++;
            }
        }
        if (count == 0) {
            return "the model has none";
        }
        return "the model's " + count + (count > names.size() ? " include: " : " are: ") + String.join(", ", names);
    }

    @Override
    public String toString() {
        return "LoraTargets" + scopes;
    }

    /** The node's weight if it is a MatMul or Gemm LoRA can adapt, else null. */
    private static Value eligibleWeight(Node node) {
        if (!node.domain().isEmpty() || node.inputs().size() < 2 || node.input(0) == null) {
            return null;
        }
        boolean matMul = node.opType().equals("MatMul");
        boolean gemm = node.opType().equals("Gemm") && intAttribute(node, "transA", 0) == 0;
        Value weight = node.input(1);
        if (!(matMul || gemm) || weight == null) {
            return null;
        }
        Tensor tensor = weight.initializer();
        return tensor != null && tensor.elementType() == ElementType.FLOAT && tensor.rank() == 2 ? weight : null;
    }

    private static LoraTarget target(Node node, Value weight) {
        long[] dims = weight.initializer().dims();
        boolean transposed = node.opType().equals("Gemm") && intAttribute(node, "transB", 0) != 0;
        float alpha = node.opType().equals("Gemm")
                ? node.attribute("alpha").map(Attribute::asFloat).orElse(1f)
                : 1f;
        String name = node.name().isEmpty() ? weight.name() : dotted(node.name());
        return new LoraTarget(node, weight, name, transposed ? dims[1] : dims[0], transposed ? dims[0] : dims[1],
                transposed, alpha);
    }

    private static long intAttribute(Node node, String name, long defaultValue) {
        return node.attribute(name).map(Attribute::asInt).orElse(defaultValue);
    }

    private static String dotted(String nodeName) {
        String dotted = nodeName.replace('/', '.');
        return dotted.startsWith(".") ? dotted.substring(1) : dotted;
    }
}
