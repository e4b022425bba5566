package dev.tern.train;

import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Picks the weights to train by name. Exporters do not always name weights after their layer:
 * PyTorch names a Linear's bias {@code encoder.layer.5.output.dense.bias} but its transposed
 * weight {@code onnx::MatMul_1234}, read by the node {@code /encoder/layer.5/output/dense/MatMul}.
 * A scope therefore matches a weight by its own name or by the name of a node that reads it,
 * with the node name's slashes read as dots.
 *
 * <pre>{@code
 * List<String> lastLayer = WeightSelection.inScopes(model, List.of("encoder.layer.5"));
 * }</pre>
 */
public final class WeightSelection {
    private WeightSelection() {
    }

    /** Every floating-point initializer of rank 1 or more of {@code model}'s main graph, in graph order. */
    public static List<String> all(Model model) {
        Objects.requireNonNull(model, "model");
        List<String> names = new ArrayList<>();
        for (Value value : model.graph().initializers().values()) {
            Tensor tensor = value.initializer();
            if (tensor != null && tensor.elementType().isFloatingPoint() && tensor.dims().length > 0) {
                names.add(value.name());
            }
        }
        return names;
    }

    /**
     * The weights of {@link #all} that fall in one of {@code scopes}: whose name, or the name
     * of a node reading them, starts with the scope ({@code "encoder.layer.5"} matches
     * {@code encoder.layer.5.output.dense.bias} and a weight read by
     * {@code /encoder/layer.5/output/dense/MatMul}), in graph order.
     *
     * @throws TrainingException if a scope matches no weight, naming it
     */
    public static List<String> inScopes(Model model, List<String> scopes) {
        Objects.requireNonNull(model, "model");
        List<String> candidates = all(model);
        Set<String> chosen = new LinkedHashSet<>();
        for (String scope : scopes) {
            List<String> matched = candidates.stream().filter(name -> inScope(model, name, scope)).toList();
            if (matched.isEmpty()) {
                throw new TrainingException("no weight of model graph '" + model.graph().name() + "' is in scope '"
                        + scope + "' (by its name or the name of a node reading it); its weights are " + candidates);
            }
            chosen.addAll(matched);
        }
        return candidates.stream().filter(chosen::contains).toList();
    }

    /**
     * The weights of {@link #all} in one of {@code trainableScopes} (every one of them when
     * that list is empty) and in none of {@code frozenScopes}, in graph order: what a
     * fine-tuning trains. Scopes match as for {@link #inScopes}.
     *
     * @throws TrainingException if a trainable or frozen scope matches no weight, naming it and
     *     the model's weights
     */
    public static List<String> chosen(Model model, List<String> trainableScopes, List<String> frozenScopes) {
        Objects.requireNonNull(model, "model");
        List<String> candidates = all(model);
        List<String> trainable = trainableScopes.isEmpty() ? candidates : inScopes(model, trainableScopes);
        for (String scope : frozenScopes) {
            if (candidates.stream().noneMatch(name -> inScope(model, name, scope))) {
                throw new TrainingException("frozen scope '" + scope + "' matches no weight of model graph '"
                        + model.graph().name() + "' (by its name or the name of a node reading it); its weights are "
                        + candidates);
            }
        }
        return trainable.stream()
                .filter(name -> frozenScopes.stream().noneMatch(scope -> inScope(model, name, scope)))
                .toList();
    }

    /**
     * Whether the initializer {@code weight} of {@code model} is in {@code scope}: its name, or
     * the name of a node reading it with slashes read as dots, starts with the scope.
     */
    public static boolean inScope(Model model, String weight, String scope) {
        Value value = model.graph().initializers().get(weight);
        if (value == null) {
            throw new TrainingException("model graph '" + model.graph().name() + "' has no initializer '" + weight + "'");
        }
        if (weight.startsWith(scope)) {
            return true;
        }
        for (Value.Use use : value.uses()) {
            Node reader = use.node();
            String dotted = reader.name().replace('/', '.');
            if (dotted.startsWith(".")) {
                dotted = dotted.substring(1);
            }
            if (dotted.startsWith(scope)) {
                return true;
            }
        }
        return false;
    }
}
