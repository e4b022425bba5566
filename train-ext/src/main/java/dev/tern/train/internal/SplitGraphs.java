package dev.tern.train.internal;

import dev.tern.ir.Model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training step cut in two at the gradients, for data parallelism: each worker runs the first
 * half on its own batch, the workers average the gradients, and each runs the second half on
 * the average, so their weights stay equal. Both halves are cut from the fused step's own
 * graphs, so they compute what it computes, op for op.
 *
 * @param gradients forward, loss and backward: the fused step's inputs less the optimizer's,
 *     its outputs less the new state, plus one gradient output per weight
 * @param apply the update alone: the weights, the optimizer state, the learning rate, the step
 *     count and one input per gradient in; the new weights and state (and the gradient norm,
 *     when clipping) out
 * @param gradientNames for each trainable weight, in order, the name of its gradient: an output
 *     of {@code gradients} and an input of {@code apply}
 */
public record SplitGraphs(Model gradients, Model apply, Map<String, String> gradientNames) {
    public SplitGraphs {
        gradientNames = Collections.unmodifiableMap(new LinkedHashMap<>(gradientNames));
    }

    /**
     * @param gradientModel the autodiff's model, with a gradient output per weight
     * @param gradientOutputs the autodiff's gradient output names by weight
     * @param fusedStep the fused step built from that model, whose update reads the same gradients
     * @param update the fused step's update signature, which the apply half keeps
     */
    static SplitGraphs cut(Model gradientModel, Map<String, String> gradientOutputs, Model fusedStep,
                           UpdateSignature update) {
        List<String> inputs = new ArrayList<>(gradientOutputs.values());
        update.slots().forEach(slot -> inputs.add(slot.input()));
        update.scalars().forEach(scalar -> inputs.add(scalar.input()));
        List<String> outputs = new ArrayList<>();
        update.slots().forEach(slot -> outputs.add(slot.output()));
        update.gradientNormOutput().ifPresent(outputs::add);
        Model apply = fusedStep.copy();
        new GraphCut(inputs, outputs).apply(apply);
        return new SplitGraphs(gradientModel, apply, gradientOutputs);
    }
}
