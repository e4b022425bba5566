package dev.tern.cli.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.train.WeightSelection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Chooses the weights {@code tern finetune} trains: every float32 initializer, narrowed to
 * those in a {@code --trainable} scope when any is given, less those in a {@code --freeze}
 * scope, plus the weights always trained (a new head). A weight is in a scope when its name,
 * or the name of a node reading it, starts with the scope ({@link WeightSelection#inScope}),
 * so {@code encoder.layer.5} also takes the layer's {@code onnx::MatMul_N} weights. A scope
 * that matches no float weight is bad usage, so a typo cannot silently train (or freeze)
 * everything.
 */
final class TrainableWeights {
    private TrainableWeights() {
    }

    /** The trainable initializer names, in the model's order. @throws CliFailure (usage) */
    static List<String> select(Model model, List<String> trainableScopes, List<String> freezeScopes,
                               List<String> alwaysTrained) {
        List<String> candidates = WeightSelection.all(model).stream()
                .filter(name -> model.graph().initializers().get(name).initializer().elementType() == ElementType.FLOAT)
                .filter(name -> !alwaysTrained.contains(name))
                .toList();
        requireEachMatches(model, "--trainable", trainableScopes, candidates);
        requireEachMatches(model, "--freeze", freezeScopes, candidates);
        List<String> chosen = Stream.concat(alwaysTrained.stream(), candidates.stream()
                        .filter(name -> trainableScopes.isEmpty() || inAny(model, name, trainableScopes))
                        .filter(name -> !inAny(model, name, freezeScopes)))
                .toList();
        if (chosen.isEmpty()) {
            throw CliFailure.usage("no weight left to train: the model's float weights are " + candidates);
        }
        return chosen;
    }

    private static void requireEachMatches(Model model, String option, List<String> scopes, List<String> names) {
        for (String scope : scopes) {
            if (names.stream().noneMatch(name -> WeightSelection.inScope(model, name, scope))) {
                throw CliFailure.usage(option + " " + scope + ": no float weight is in that scope (by its name or a node"
                        + " reading it); the weights are " + names);
            }
        }
    }

    private static boolean inAny(Model model, String name, List<String> scopes) {
        return scopes.stream().anyMatch(scope -> WeightSelection.inScope(model, name, scope));
    }
}
