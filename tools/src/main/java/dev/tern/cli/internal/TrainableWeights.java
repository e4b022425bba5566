package dev.tern.cli.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Model;
import dev.tern.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the weights {@code tern finetune} trains: every float32 initializer, narrowed to
 * those starting with a {@code --trainable} prefix when any is given, less those starting
 * with a {@code --freeze} prefix. A prefix that matches no float initializer is bad usage, so
 * a typo cannot silently train (or freeze) everything.
 */
final class TrainableWeights {
    private TrainableWeights() {
    }

    /** The trainable initializer names, in the model's order. @throws CliFailure (usage) */
    static List<String> select(Model model, List<String> trainablePrefixes, List<String> freezePrefixes) {
        List<String> candidates = new ArrayList<>();
        for (Value initializer : model.graph().initializers().values()) {
            if (initializer.initializer() != null && initializer.initializer().elementType() == ElementType.FLOAT) {
                candidates.add(initializer.name());
            }
        }
        requireEachMatches("--trainable", trainablePrefixes, candidates);
        requireEachMatches("--freeze", freezePrefixes, candidates);
        List<String> chosen = candidates.stream()
                .filter(name -> trainablePrefixes.isEmpty() || startsWithAny(name, trainablePrefixes))
                .filter(name -> !startsWithAny(name, freezePrefixes))
                .toList();
        if (chosen.isEmpty()) {
            throw CliFailure.usage("no weight left to train: the model's float weights are " + candidates);
        }
        return chosen;
    }

    private static void requireEachMatches(String option, List<String> prefixes, List<String> names) {
        for (String prefix : prefixes) {
            if (names.stream().noneMatch(name -> name.startsWith(prefix))) {
                throw CliFailure.usage(option + " " + prefix + ": no float weight starts with it; the weights are " + names);
            }
        }
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        return prefixes.stream().anyMatch(name::startsWith);
    }
}
