package dev.tern.server.internal.ensemble;

import dev.tern.server.internal.repository.EnsembleConfig;
import dev.tern.server.internal.repository.EnsembleStep;
import dev.tern.server.internal.repository.TensorOverride;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of an ensemble in an order that runs each after the steps producing its inputs,
 * checked as the ensemble loads: every tensor a step or the ensemble's outputs consume is an
 * ensemble input or produced by exactly one step, and no steps wait on each other in a cycle.
 */
public final class EnsemblePlan {
    private EnsemblePlan() {
    }

    /**
     * The steps of {@code config} in dependency order; among steps ready at once, the config's order.
     *
     * @throws IllegalArgumentException naming the file and step for a tensor consumed but never
     *     produced, a tensor produced twice (or also an ensemble input), an ensemble output no step
     *     produces, or steps that form a cycle
     */
    public static List<EnsembleStep> order(EnsembleConfig config) {
        Set<String> inputs = new HashSet<>(config.inputs().stream().map(TensorOverride::name).toList());
        Map<String, EnsembleStep> producers = producers(config, inputs);
        for (EnsembleStep step : config.steps()) {
            step.inputMap().forEach((member, tensor) -> {
                if (!inputs.contains(tensor) && !producers.containsKey(tensor)) {
                    throw new IllegalArgumentException(config.file() + ": '" + step.field() + ".input_map." + member
                            + "': ensemble tensor '" + tensor + "' is consumed but never produced: it is no ensemble"
                            + " input " + inputs + " and no step's output_map names it");
                }
            });
        }
        for (TensorOverride output : config.outputs()) {
            if (!producers.containsKey(output.name())) {
                throw new IllegalArgumentException(config.file() + ": ensemble output '" + output.name()
                        + "' is never produced: no step's output_map names it");
            }
        }
        return sorted(config, inputs);
    }

    private static Map<String, EnsembleStep> producers(EnsembleConfig config, Set<String> inputs) {
        Map<String, EnsembleStep> producers = new HashMap<>();
        for (EnsembleStep step : config.steps()) {
            for (String tensor : step.outputMap().values()) {
                EnsembleStep earlier = producers.put(tensor, step);
                if (earlier != null || inputs.contains(tensor)) {
                    throw new IllegalArgumentException(config.file() + ": '" + step.field() + ".output_map' produces"
                            + " ensemble tensor '" + tensor + "', which " + (earlier != null
                            ? earlier.describe() + " produces too" : "is an ensemble input") + "; each tensor has one"
                            + " producer");
                }
            }
        }
        return producers;
    }

    /** Kahn's order over the steps; what is left when no step can run waits on itself. */
    private static List<EnsembleStep> sorted(EnsembleConfig config, Set<String> inputs) {
        Set<String> available = new HashSet<>(inputs);
        List<EnsembleStep> waiting = new ArrayList<>(config.steps());
        List<EnsembleStep> order = new ArrayList<>();
        boolean progressed = true;
        while (!waiting.isEmpty() && progressed) {
            progressed = false;
            for (EnsembleStep step : List.copyOf(waiting)) {
                if (available.containsAll(step.inputMap().values())) {
                    order.add(step);
                    available.addAll(step.outputMap().values());
                    waiting.remove(step);
                    progressed = true;
                }
            }
        }
        if (!waiting.isEmpty()) {
            throw new IllegalArgumentException(config.file() + ": the steps " + waiting.stream()
                    .map(EnsembleStep::describe).toList() + " form a cycle: each waits for a tensor another of them"
                    + " produces");
        }
        return order;
    }
}
