package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Shape;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.Optimizer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Appends the update to a graph that computes gradients: optional clipping by global norm,
 * then the optimizer's rule per weight. Each weight and state tensor becomes an input/output
 * pair ({@link StateSlot}); what depends on the step alone (the learning rate; Adam's
 * bias-corrected step size and epsilon and AdamW's decay factor) are scalar inputs
 * ({@link UpdateScalar}) computed before each run, so a schedule or a resumed run changes
 * nothing in the graph and no scalar arithmetic runs in it.
 */
final class OptimizerGraph {
    /** PyTorch's {@code clip_grad_norm_} adds this to the norm before dividing by it. */
    private static final double CLIP_EPSILON = 1e-6;

    private final Ops ops;
    private final Graph graph;
    private final ElementType elementType;
    private final List<UpdateScalar> scalars = new ArrayList<>();
    private final List<StateSlot> weightSlots = new ArrayList<>();
    private final List<StateSlot> stateSlots = new ArrayList<>();
    /** The graph output that carries each weight or state input's next value. */
    private final Map<Value, String> nextName = new IdentityHashMap<>();

    private OptimizerGraph(Ops ops, ElementType elementType) {
        this.ops = ops;
        this.graph = ops.emitter().graph();
        this.elementType = elementType;
    }

    /**
     * @param weights each trainable weight's graph input with its gradient value, in order
     * @param initial each weight's value before the first step
     */
    static UpdateSignature append(Ops ops, Map<Value, Value> weights, Map<Value, Tensor> initial, Optimizer optimizer,
                           OptionalDouble maxGradientNorm) {
        ElementType type = ValueTypes.elementType(weights.keySet().iterator().next());
        OptimizerGraph builder = new OptimizerGraph(ops, type);
        Map<Value, Value> gradients = new LinkedHashMap<>(weights);
        Optional<String> normOutput = Optional.empty();
        if (maxGradientNorm.isPresent()) {
            Value norm = builder.globalNorm(gradients.values());
            builder.clip(gradients, norm, maxGradientNorm.getAsDouble());
            norm.setType(ValueType.tensor(type, Shape.of(List.of())));
            normOutput = Optional.of(builder.output(norm, ops.emitter().fresh("gradient_norm"), norm).name());
        }
        for (Value weight : gradients.keySet()) {
            String output = builder.freshOutputName(weight.name());
            builder.weightSlots.add(new StateSlot(weight.name(), output, initial.get(weight)));
            builder.nextName.put(weight, output);
        }
        if (optimizer instanceof Optimizer.Adam adam) {
            builder.adam(adam, gradients, initial);
        } else {
            builder.sgd((Optimizer.Sgd) optimizer, gradients, initial);
        }
        return new UpdateSignature(builder.scalars, normOutput, builder.weightSlots, builder.stateSlots);
    }

    /** {@code sqrt(sum of every gradient element squared)}, over all weights. */
    private Value globalNorm(Iterable<Value> gradients) {
        Value sumOfSquares = null;
        for (Value gradient : gradients) {
            // No axes (as attribute before opset 13, as input from it) means every axis in every opset.
            Value squares = ops.op("ReduceSum", List.of(Attribute.ofInt("keepdims", 0)), ops.mul(gradient, gradient));
            sumOfSquares = sumOfSquares == null ? squares : ops.add(sumOfSquares, squares);
        }
        return ops.op("Sqrt", sumOfSquares);
    }

    /** Scales every gradient by {@code min(1, maxNorm / (norm + 1e-6))}, as PyTorch's {@code clip_grad_norm_}. */
    private void clip(Map<Value, Value> gradients, Value norm, double maxNorm) {
        Value ratio = ops.div(constant(maxNorm), ops.add(norm, constant(CLIP_EPSILON)));
        Value coefficient = ops.op("Min", ratio, constant(1));
        gradients.replaceAll((weight, gradient) -> ops.mul(gradient, coefficient));
    }

    private void sgd(Optimizer.Sgd sgd, Map<Value, Value> gradients, Map<Value, Tensor> initial) {
        Value learningRate = scalarInput("learning_rate", (rate, step) -> rate);
        for (Map.Entry<Value, Value> entry : gradients.entrySet()) {
            Value weight = entry.getKey();
            Value gradient = withL2(entry.getValue(), weight, sgd.weightDecay());
            if (sgd.momentum() > 0) {
                Value buffer = stateInput(weight, "momentum", initial.get(weight));
                Value next = ops.add(ops.mul(constant(sgd.momentum()), buffer), gradient);
                output(next, nextName.get(buffer), weight);
                gradient = sgd.nesterov() ? ops.add(gradient, ops.mul(constant(sgd.momentum()), next)) : next;
            }
            Value updated = ops.sub(weight, ops.mul(learningRate, gradient));
            output(updated, nextName.get(weight), weight);
        }
    }

    /**
     * PyTorch's update, {@code p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)} with
     * {@code bc_i = 1 - beta_i^t}, written {@code p -= stepSize * m / (sqrt(v) + epsilon)} with
     * {@code stepSize = lr / bc1 * sqrt(bc2)} and {@code epsilon = eps * sqrt(bc2)}: one pass over
     * every weight's elements fewer, and never a division by the rate, which may be 0. The
     * scalars are computed in double, as PyTorch computes them in Python floats: in float32,
     * {@code 1 - 0.999^t} loses about four digits to cancellation in early steps.
     */
    private void adam(Optimizer.Adam adam, Map<Value, Value> gradients, Map<Value, Tensor> initial) {
        Value stepSize = scalarInput("adam_step_size", (rate, step) -> rate / (1 - Math.pow(adam.beta1(), step))
                * Math.sqrt(1 - Math.pow(adam.beta2(), step)));
        Value epsilon = scalarInput("adam_epsilon",
                (rate, step) -> adam.epsilon() * Math.sqrt(1 - Math.pow(adam.beta2(), step)));
        Value decayFactor = adam.decoupled() && adam.weightDecay() > 0
                ? scalarInput("adamw_decay", (rate, step) -> 1 - rate * adam.weightDecay())
                : null;
        for (Map.Entry<Value, Value> entry : gradients.entrySet()) {
            Value weight = entry.getKey();
            Value gradient = adam.decoupled() ? entry.getValue() : withL2(entry.getValue(), weight, adam.weightDecay());
            Value m = stateInput(weight, "exp_avg", initial.get(weight));
            Value v = stateInput(weight, "exp_avg_sq", initial.get(weight));
            Value nextM = ops.add(ops.mul(constant(adam.beta1()), m), ops.mul(constant(1 - adam.beta1()), gradient));
            Value nextV = ops.add(ops.mul(constant(adam.beta2()), v),
                    ops.mul(constant(1 - adam.beta2()), ops.mul(gradient, gradient)));
            output(nextM, nextName.get(m), weight);
            output(nextV, nextName.get(v), weight);
            Value denominator = ops.add(ops.op("Sqrt", nextV), epsilon);
            Value decayed = decayFactor == null ? weight : ops.mul(weight, decayFactor);
            Value updated = ops.sub(decayed, ops.mul(stepSize, ops.div(nextM, denominator)));
            output(updated, nextName.get(weight), weight);
        }
    }

    private Value withL2(Value gradient, Value weight, double weightDecay) {
        return weightDecay > 0 ? ops.add(gradient, ops.mul(constant(weightDecay), weight)) : gradient;
    }

    private Value constant(double value) {
        return ops.emitter().scalar(value, elementType);
    }

    /** A new scalar input of the weights' type, computed before each run by {@code value}. */
    private Value scalarInput(String base, UpdateScalar.Formula value) {
        Value input = new Value(ops.emitter().fresh(base), ValueType.tensor(elementType, Shape.of(List.of())));
        graph.addInput(input);
        scalars.add(new UpdateScalar(input.name(), elementType, value));
        return input;
    }

    /** A new state input of {@code weight}'s type, starting at zeros, registered as a slot. */
    private Value stateInput(Value weight, String slot, Tensor weightValue) {
        String name = ops.emitter().fresh(weight.name() + "." + slot);
        Value input = new Value(name, weight.type());
        graph.addInput(input);
        String output = freshOutputName(name);
        stateSlots.add(new StateSlot(name, output, Tensor.zeros(name, weightValue.elementType(), weightValue.dims())));
        nextName.put(input, output);
        return input;
    }

    private String freshOutputName(String input) {
        return ops.emitter().fresh("new." + input);
    }

    /** Makes {@code value} a graph output named {@code name}, typed like {@code like}. */
    private Value output(Value value, String name, Value like) {
        value.rename(name);
        GraphEmitter.typeLike(value, like);
        graph.addOutput(value);
        return value;
    }
}
