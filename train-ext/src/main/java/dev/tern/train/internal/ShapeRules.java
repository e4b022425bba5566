package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ops that move or relabel elements without changing them: Flatten, Reshape, Squeeze and
 * Unsqueeze (the gradient takes the input's run-time shape back), Transpose (inverse
 * permutation), Expand (summed back), Identity, Cast (cast back) and Dropout in inference
 * mode (an identity).
 */
final class ShapeRules {
    private static final int[] FIRST_INPUT = {0};

    private ShapeRules() {
    }

    static void register(GradientRules rules) {
        GradientRule restoreShape = GradientRule.forInputs(FIRST_INPUT, c -> c.give(0, c.ops().reshapeLike(c.gradient(), c.input(0))));
        rules.put("Flatten", restoreShape);
        rules.put("Reshape", restoreShape);
        rules.put("Squeeze", restoreShape);
        rules.put("Unsqueeze", restoreShape);
        rules.put("Transpose", GradientRule.of(ShapeRules::transpose));
        rules.put("Expand", GradientRule.forInputs(FIRST_INPUT, ShapeRules::expand));
        rules.put("Identity", GradientRule.of(c -> c.give(0, c.gradient())));
        rules.put("Cast", GradientRule.of(c -> c.give(0, c.ops().cast(c.gradient(), ValueTypes.elementType(c.input(0))))));
        rules.put("Dropout", GradientRule.forInputs(FIRST_INPUT, ShapeRules::dropout).onlyFirstOutput());
    }

    private static void transpose(RuleContext c) {
        Optional<long[]> perm = c.intsAttribute("perm");
        if (perm.isEmpty()) {
            // The default permutation reverses the axes, and is its own inverse.
            c.give(0, c.ops().op("Transpose", c.gradient()));
            return;
        }
        long[] forward = perm.get();
        long[] inverse = new long[forward.length];
        for (int i = 0; i < forward.length; i++) {
            inverse[(int) forward[i]] = i;
        }
        c.give(0, c.ops().transpose(c.gradient(), inverse));
    }

    private static void expand(RuleContext c) {
        c.give(0, c.ops().sumTo(c.gradient(), expandedDims(c), c.input(0)));
    }

    /** The output's dimensions: from its type, else from the target shape's length (values unknown). */
    private static List<Dim> expandedDims(RuleContext c) {
        if (c.output(0).type() instanceof ValueType.TensorType type && type.shape().isRankKnown()) {
            return type.shape().dims();
        }
        Value targetShape = c.input(1);
        long targetRank = Constants.integers(targetShape).map(values -> (long) values.length)
                .orElseGet(() -> ValueTypes.requireSize(targetShape, 0, "(the rank Expand produces)"));
        int rank = (int) Math.max(targetRank, ValueTypes.rank(c.input(0)));
        List<Dim> dims = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            dims.add(Dim.UNKNOWN);
        }
        return dims;
    }

    /** In inference mode Dropout is the identity; a training_mode input that is not a constant false is refused. */
    private static void dropout(RuleContext c) {
        Value trainingMode = c.input(2);
        if (trainingMode != null) {
            boolean constantFalse = Constants.tensor(trainingMode)
                    .map(tensor -> tensor.data().get(0) == 0)
                    .orElse(false);
            if (!constantFalse) {
                throw c.unsupported("Dropout in training mode; only inference-mode Dropout (an identity) has a gradient rule");
            }
        }
        c.give(0, c.gradient());
    }
}
