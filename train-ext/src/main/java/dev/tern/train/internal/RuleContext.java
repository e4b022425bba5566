package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.train.AutodiffException;

import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * What a {@link GradientRule} sees of one node during the backward pass: the node, the
 * gradients of its outputs, which inputs want a gradient, and where to give them.
 */
final class RuleContext {
    /** Receives the gradient of one input; contributions to the same value are summed. */
    @FunctionalInterface
    interface GradientSink {
        void accept(Value input, Value gradient);
    }

    private final Node node;
    private final Ops ops;
    private final List<Value> outputGradients;
    private final IntPredicate wantedInputs;
    private final GradientSink sink;
    private final boolean specializedForms;

    RuleContext(Node node, Ops ops, List<Value> outputGradients, IntPredicate wantedInputs, GradientSink sink,
                boolean specializedForms) {
        this.node = node;
        this.ops = ops;
        this.outputGradients = outputGradients;
        this.wantedInputs = wantedInputs;
        this.sink = sink;
        this.specializedForms = specializedForms;
    }

    Node node() {
        return node;
    }

    Ops ops() {
        return ops;
    }

    long opset() {
        return ops.opset();
    }

    /** Whether the rule may emit a specialized form where one applies (see {@link GradientRules}). */
    boolean allowsSpecializedForms() {
        return specializedForms;
    }

    Value input(int index) {
        return index < node.inputs().size() ? node.input(index) : null;
    }

    Value output(int index) {
        return node.output(index);
    }

    /** The gradient of output 0, which the backward pass guarantees for single-output ops. */
    Value gradient() {
        return gradient(0);
    }

    /** The gradient of output {@code index}, or {@code null} when that output does not reach the loss. */
    Value gradient(int index) {
        return outputGradients.get(index);
    }

    /** Whether input {@code index} is present and lies on a path from a trainable value. */
    boolean wants(int index) {
        return input(index) != null && wantedInputs.test(index);
    }

    /** Gives input {@code index} the gradient {@code gradient}, if that input wants one. */
    void give(int index, Value gradient) {
        if (wants(index)) {
            GraphEmitter.typeGradientLike(gradient, input(index));
            sink.accept(input(index), gradient);
        }
    }

    long intAttribute(String name, long defaultValue) {
        return node.attribute(name).map(Attribute::asInt).orElse(defaultValue);
    }

    float floatAttribute(String name, float defaultValue) {
        return node.attribute(name).map(Attribute::asFloat).orElse(defaultValue);
    }

    String stringAttribute(String name, String defaultValue) {
        return node.attribute(name).map(Attribute::asString).orElse(defaultValue);
    }

    Optional<long[]> intsAttribute(String name) {
        return node.attribute(name).map(Attribute::asInts);
    }

    /** An error naming this node, for a form of the op the rule does not cover. */
    AutodiffException unsupported(String what) {
        return new AutodiffException("gradient of node " + node.describe() + ": " + what);
    }
}
