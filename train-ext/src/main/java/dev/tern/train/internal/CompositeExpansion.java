package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites composite ops into primitives that have gradient rules, in place, before
 * differentiation: LayerNormalization (opset 17) into ReduceMean, Sub, Mul, Sqrt and
 * Reciprocal; Gelu (opset 20, exact or tanh form) into Erf or Tanh arithmetic. Squares
 * written as Pow(x, 2) with a fixed exponent become Mul(x, x): ONNX Runtime's Pow costs several
 * Muls, and layer norms spelled out in primitives square every activation. New values get
 * types derived from the composite's input, so rules downstream can read their ranks.
 * LayerNormalization computes in its input's type (stash_type is not honoured).
 */
final class CompositeExpansion {
    private final Graph graph;
    private final Ops ops;
    private final Set<String> trainable;

    private CompositeExpansion(Graph graph, Ops ops, Set<String> trainable) {
        this.graph = graph;
        this.ops = ops;
        this.trainable = trainable;
    }

    /**
     * Expands every composite node of {@code graph}'s top level; {@code trainable} names the
     * initializers that will be trained, which are not fixed values.
     */
    static void expand(Graph graph, Ops ops, Set<String> trainable) {
        CompositeExpansion expansion = new CompositeExpansion(graph, ops, trainable);
        for (Node node : graph.nodes()) {
            if (!GradientRules.isDefaultDomain(node.domain())) {
                continue;
            }
            switch (node.opType()) {
                case "LayerNormalization" -> expansion.layerNormalization(node);
                case "Gelu" -> expansion.gelu(node);
                case "Pow" -> expansion.square(node);
                default -> {
                }
            }
        }
        ops.emitter().append();
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
        replace(node, List.of(y, mean, inverseStd));
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
        replace(node, List.of(typed(ops.mul(halfX, onePlus), type)));
    }

    private void square(Node node) {
        Value exponent = node.input(1);
        boolean fixed = !(exponent.isInitializer() && trainable.contains(exponent.name()));
        if (fixed && Constants.realScalar(exponent).orElse(Double.NaN) == 2
                && node.output(0).type() != null && node.input(0).type() != null
                && node.output(0).type().equals(node.input(0).type())) {
            ops.emitter().insertBefore(node);
            Value x = node.input(0);
            replace(node, List.of(typed(ops.mul(x, x), node.output(0).type())));
            Node constant = exponent.producer();
            if (constant != null && exponent.uses().isEmpty() && !graph.outputs().contains(exponent)) {
                graph.removeNode(constant);
            }
        }
    }

    /**
     * Makes every reader of {@code node}'s outputs (nodes and graph outputs) read
     * {@code replacements} instead, which take over the outputs' names, then removes the node.
     */
    private void replace(Node node, List<Value> replacements) {
        for (int i = 0; i < node.outputs().size(); i++) {
            Value old = node.output(i);
            if (old == null) {
                continue;
            }
            Value replacement = replacements.get(i);
            String name = old.name();
            old.rename(ops.emitter().fresh(name + "_replaced"));
            replacement.rename(name);
            old.replaceAllUsesWith(replacement);
            List<Value> outputs = graph.outputs();
            for (int index = 0; index < outputs.size(); index++) {
                if (outputs.get(index) == old) {
                    graph.setOutput(index, replacement);
                }
            }
        }
        graph.removeNode(node);
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
