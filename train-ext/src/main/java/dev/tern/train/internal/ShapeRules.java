package dev.tern.train.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ops that move or relabel elements without changing them: Flatten, Reshape, Squeeze and
 * Unsqueeze (the gradient takes the input's run-time shape back), Transpose (inverse
 * permutation), Expand (summed back), Identity, Cast (cast back) and Dropout (an identity in
 * inference mode; in training mode the gradient passes where the forward mask kept an element,
 * scaled by 1 / (1 - ratio) as ONNX Runtime scales the kept elements).
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

    /**
     * Inference mode: the identity. Training mode: dY * mask / (1 - ratio), reading the mask the
     * forward node produced ({@link CompositeExpansion} gives every training-mode Dropout its
     * mask output), with ratio 0.5 when the input is absent.
     */
    private static void dropout(RuleContext c) {
        if (!isTraining(c.node())) {
            c.give(0, c.gradient());
            return;
        }
        if (c.node().outputs().size() < 2) {
            throw c.unsupported("training-mode Dropout without its mask output (expected 2 outputs, found 1)");
        }
        Value x = c.input(0);
        Value kept = c.ops().cast(c.output(1), ValueTypes.elementType(x));
        Value one = c.ops().scalarLike(1, x);
        Value ratio = c.input(1) == null ? c.ops().scalarLike(0.5, x) : c.ops().cast(c.input(1), ValueTypes.elementType(x));
        Value scale = c.ops().div(one, c.ops().sub(one, ratio));
        c.give(0, c.ops().mul(c.ops().mul(c.gradient(), kept), scale));
    }

    /** Whether a Dropout node drops elements: its training_mode input is present and not a constant false. */
    static boolean isTraining(Node dropout) {
        Value trainingMode = dropout.inputs().size() > 2 ? dropout.input(2) : null;
        if (trainingMode == null) {
            return false;
        }
        return Constants.tensor(trainingMode)
                .map(tensor -> tensor.data().get(0) != 0)
                .orElse(true);
    }
}
