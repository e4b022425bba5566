package dev.tern.train.internal;

import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks the gradient path from the loss back to the trainable values, applying each node's
 * rule and summing the gradients of values read in more than one place.
 */
final class BackwardPass {
    private final Ops ops;
    private final GradientPaths paths;
    private final boolean specializedForms;
    private final Map<Value, Value> gradients = new IdentityHashMap<>();

    private BackwardPass(Ops ops, GradientPaths paths, boolean specializedForms) {
        this.ops = ops;
        this.paths = paths;
        this.specializedForms = specializedForms;
    }

    /** Emits the backward graph and returns the gradient of every value on the path, seeded with d loss / d loss = 1. */
    static Map<Value, Value> run(Ops ops, GradientPaths paths, GradientRules rules, Value loss) {
        BackwardPass pass = new BackwardPass(ops, paths, rules.allowsSpecializedForms());
        pass.gradients.put(loss, seed(ops, loss));
        for (Node node : paths.nodesInReverse()) {
            pass.apply(node, rules.find(node).orElseThrow());
        }
        return pass.gradients;
    }

    private void apply(Node node, GradientRule rule) {
        List<Value> outputGradients = new ArrayList<>(node.outputs().size());
        boolean any = false;
        for (Value output : node.outputs()) {
            Value gradient = output == null ? null : gradients.get(output);
            outputGradients.add(gradient);
            any |= gradient != null;
        }
        if (!any) {
            return;
        }
        RuleContext context = new RuleContext(node, ops, outputGradients,
                index -> rule.isDifferentiableInput(index) && paths.isOnPath(node.input(index)),
                this::accumulate, specializedForms);
        rule.apply(context);
    }

    private void accumulate(Value value, Value gradient) {
        Value sum = Optional.ofNullable(gradients.get(value))
                .map(earlier -> ops.add(earlier, gradient))
                .orElse(gradient);
        GraphEmitter.typeGradientLike(sum, value);
        gradients.put(value, sum);
    }

    /** Ones shaped like the loss: a constant for a rank-0 loss, else expanded at run time. */
    private static Value seed(Ops ops, Value loss) {
        Value one = ops.scalarLike(1, loss);
        boolean scalar = loss.type() instanceof ValueType.TensorType type
                && type.shape().isRankKnown() && type.shape().rank() == 0;
        if (scalar) {
            return one;
        }
        return ops.expandLike(one, loss);
    }
}
