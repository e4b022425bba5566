package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.ir.passes.Pass;
import dev.tern.train.AutodiffException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rewrites composite ops into primitives that have gradient rules, in place, before
 * differentiation: LayerNormalization (opset 17) into ReduceMean, Sub, Mul, Sqrt and
 * Reciprocal; Gelu (opset 20, exact or tanh form) into Erf or Tanh arithmetic; RNN, GRU and
 * LSTM into their unrolled steps ({@link RecurrentExpansion}). Squares written as Pow(x, 2)
 * with a fixed exponent become Mul(x, x): ONNX Runtime's Pow costs several Muls, and layer
 * norms spelled out in primitives square every activation. New values get types derived
 * from the composite's inputs, so rules downstream can read their ranks. LayerNormalization
 * computes in its input's type (stash_type is not honoured).
 *
 * <p>Only composites a gradient may flow through are expanded; the others stay whole, so
 * ONNX Runtime runs its fused kernels for them (a frozen LSTM encoder in front of a trained
 * head keeps its LSTM node, whatever its sequence length).
 *
 * <p>A pass, in place, over the main graph of the model whose graph {@code ops} writes into; it
 * ensures that no composite a gradient may flow through is left (squares with another exponent
 * stay Pow). A training-mode Dropout whose mask is not an output yet is rebuilt with its mask
 * output, which its gradient rule reads.
 */
final class CompositeExpansion extends Pass {
    private static final Set<String> REWRITTEN = Set.of("LayerNormalization", "Gelu", "RNN", "GRU", "LSTM", "Pow", "Dropout");
    private static final Set<String> ALWAYS_EXPANDED = Set.of("LayerNormalization", "Gelu", "RNN", "GRU", "LSTM");

    private final Ops ops;
    private final Predicate<Node> gradientMayFlowThrough;

    private CompositeExpansion(Ops ops, Predicate<Node> gradientMayFlowThrough) {
        this.ops = ops;
        this.gradientMayFlowThrough = gradientMayFlowThrough;
    }

    /**
     * Expands the composite nodes of {@code model}'s main graph, which {@code ops} writes into,
     * for which {@code gradientMayFlowThrough} holds, asked of each before any is expanded.
     *
     * @throws dev.tern.train.AutodiffException if a recurrent node cannot be unrolled
     *     ("cannot expand LSTM at node NAME: REASON")
     * @throws dev.tern.ir.passes.PassException naming this pass on any other failure
     */
    static void expand(Model model, Ops ops, Predicate<Node> gradientMayFlowThrough) {
        TrainPasses.apply(new CompositeExpansion(ops, gradientMayFlowThrough), model, AutodiffException.class);
    }

    @Override
    public String name() {
        return "composite-expansion";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected void requires(Model model) {
        if (ops.emitter().graph() != model.graph()) {
            throw new IllegalArgumentException("the ops write into graph '" + ops.emitter().graph().name()
                    + "', not into the model's main graph '" + model.graph().name() + "'");
        }
    }

    @Override
    protected boolean run(Model model) {
        List<Node> composites = model.graph().nodes().stream()
                .filter(node -> GradientRules.isDefaultDomain(node.domain()) && REWRITTEN.contains(node.opType()))
                .filter(gradientMayFlowThrough)
                .toList();
        for (Node node : composites) {
            switch (node.opType()) {
                case "LayerNormalization" -> layerNormalization(node);
                case "Gelu" -> gelu(node);
                case "Pow" -> square(node);
                case "Dropout" -> exposeMask(node);
                default -> RecurrentExpansion.expand(node, RecurrentKind.valueOf(node.opType()), ops);
            }
        }
        ops.emitter().append();
        // An expanded composite has left the graph; a Pow that is no square stays.
        return composites.stream().anyMatch(node -> node.graph() == null);
    }

    @Override
    protected void ensures(Model model) {
        for (Node node : model.graph().nodes()) {
            if (GradientRules.isDefaultDomain(node.domain()) && ALWAYS_EXPANDED.contains(node.opType())
                    && gradientMayFlowThrough.test(node)) {
                throw new IllegalStateException("node " + node.describe() + " is still there; a gradient flows through it");
            }
        }
    }

    /** Rebuilds a training-mode Dropout with one output as the same Dropout with its mask as a second output. */
    private void exposeMask(Node node) {
        if (!ShapeRules.isTraining(node) || node.outputs().size() > 1) {
            return;
        }
        ops.emitter().insertBefore(node);
        List<Value> outputs = ops.emitter().ops("Dropout", 2, List.copyOf(node.attributes().values()),
                node.inputs().toArray(Value[]::new));
        typed(outputs.get(0), node.output(0).type());
        ops.emitter().replace(node, outputs);
    }

    /** y = (x - mean) / sqrt(var + epsilon) * scale + bias, normalizing the axes from {@code axis} to the last. */
    private void layerNormalization(Node node) {
        ops.emitter().insertBefore(node);
        Value x = node.input(0);
        int rank = ValueTypes.rank(x);
        int axis = ValueTypes.axis(node.attribute("axis").map(Attribute::asInt).orElse(-1L), rank);
        double epsilon = node.attribute("epsilon").map(Attribute::asFloat).orElse(1e-5f);
        long[] axes = new long[rank - axis];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axis + i;
        }
        ValueType.TensorType reduced = reducedType(x, axis);
        Value mean = typed(ops.reduceMean(x, axes, true), reduced);
        Value centered = typed(ops.sub(x, mean), x.type());
        Value variance = typed(ops.reduceMean(typed(ops.mul(centered, centered), x.type()), axes, true), reduced);
        Value shifted = typed(ops.add(variance, ops.scalarLike(epsilon, x)), reduced);
        Value inverseStd = typed(ops.op("Reciprocal", typed(ops.op("Sqrt", shifted), reduced)), reduced);
        Value normalized = typed(ops.mul(centered, inverseStd), x.type());
        Value y = typed(ops.mul(normalized, node.input(1)), x.type());
        Value bias = node.inputs().size() > 2 ? node.input(2) : null;
        if (bias != null) {
            y = typed(ops.add(y, bias), x.type());
        }
        ops.emitter().replace(node, List.of(y, mean, inverseStd));
    }

    /** Exact: 0.5 x (1 + erf(x / sqrt 2)); tanh: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private void gelu(Node node) {
        ops.emitter().insertBefore(node);
        Value x = node.input(0);
        ValueType type = x.type();
        String approximate = node.attribute("approximate").map(Attribute::asString).orElse("none");
        Value inner;
        if (approximate.equals("tanh")) {
            Value cube = typed(ops.mul(x, typed(ops.mul(x, x), type)), type);
            Value cubic = typed(ops.add(x, typed(ops.mul(cube, ops.scalarLike(0.044715, x)), type)), type);
            Value scaled = typed(ops.mul(cubic, ops.scalarLike(Math.sqrt(2 / Math.PI), x)), type);
            inner = typed(ops.op("Tanh", scaled), type);
        } else {
            Value scaled = typed(ops.div(x, ops.scalarLike(Math.sqrt(2), x)), type);
            inner = typed(ops.op("Erf", scaled), type);
        }
        Value onePlus = typed(ops.add(inner, ops.scalarLike(1, x)), type);
        Value halfX = typed(ops.mul(x, ops.scalarLike(0.5, x)), type);
        ops.emitter().replace(node, List.of(typed(ops.mul(halfX, onePlus), type)));
    }

    /** Pow(x, 2) with a constant exponent (a trainable one is a graph input by now) becomes Mul(x, x). */
    private void square(Node node) {
        Value exponent = node.input(1);
        ValueType inputType = node.input(0).type();
        if (Constants.realScalar(exponent).orElse(Double.NaN) != 2 || inputType == null
                || !inputType.equals(node.output(0).type())) {
            return;
        }
        ops.emitter().insertBefore(node);
        Value x = node.input(0);
        Graph graph = node.graph();
        ops.emitter().replace(node, List.of(typed(ops.mul(x, x), inputType)));
        Node constant = exponent.producer();
        if (constant != null && exponent.uses().isEmpty() && !graph.outputs().contains(exponent)) {
            graph.removeNode(constant);
        }
    }

    private static ValueType.TensorType reducedType(Value x, int axis) {
        List<Dim> dims = new ArrayList<>(ValueTypes.dims(x));
        for (int i = axis; i < dims.size(); i++) {
            dims.set(i, Dim.of(1));
        }
        return ValueType.tensor(ValueTypes.elementType(x), Shape.of(dims));
    }

    private static Value typed(Value value, ValueType type) {
        value.setType(type);
        return value;
    }
}
