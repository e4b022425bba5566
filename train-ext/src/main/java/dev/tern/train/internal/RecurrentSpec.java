package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Node;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.AutodiffException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What an RNN, GRU or LSTM node asks for, read from its attributes and input types (ONNX
 * opsets 7 and 14, {@code layout} from 14), checked for the forms the expansion can unroll.
 *
 * @param kind which of the three ops
 * @param direction forward, reverse or bidirectional
 * @param hiddenSize the hidden size, from the attribute or else from R's last dimension
 * @param batchFirst {@code layout = 1}: X, Y, the initial and the last states have batch first
 * @param sequenceLength the static size of X's time axis
 * @param clip the bound of the gate pre-activations, if any
 * @param activations for each direction, the activations in the op's order (f, g, h)
 * @param linearBeforeReset GRU: the reset gate multiplies H R^T + Rb rather than H
 * @param inputForget LSTM: the forget gate is 1 - the input gate
 */
record RecurrentSpec(RecurrentKind kind, Direction direction, long hiddenSize, boolean batchFirst, long sequenceLength,
                     OptionalDouble clip, List<List<GateActivation>> activations, boolean linearBeforeReset,
                     boolean inputForget) {
    static final int X = 0;
    static final int W = 1;
    static final int R = 2;
    static final int B = 3;
    static final int SEQUENCE_LENS = 4;
    static final int INITIAL_H = 5;
    static final int INITIAL_C = 6;
    static final int P = 7;

    enum Direction {
        FORWARD, REVERSE, BIDIRECTIONAL;

        int count() {
            return this == BIDIRECTIONAL ? 2 : 1;
        }
    }

    /**
     * @throws AutodiffException "cannot expand OP at node NAME: REASON" for a form the
     *     expansion does not cover: a sequence length or hidden size not known
     *     statically, an element type other than FLOAT or DOUBLE, an unknown direction or
     *     layout, an activation the ONNX spec does not list
     */
    static RecurrentSpec read(Node node, RecurrentKind kind) {
        long layout = intAttribute(node, "layout", 0);
        if (layout != 0 && layout != 1) {
            throw cannotExpand(node, "layout is " + layout + ", expected 0 or 1");
        }
        boolean batchFirst = layout == 1;
        Direction direction = direction(node);
        return new RecurrentSpec(kind, direction, hiddenSize(node), batchFirst, sequenceLength(node, batchFirst),
                clip(node), activations(node, kind, direction.count()),
                intAttribute(node, "linear_before_reset", 0) != 0, intAttribute(node, "input_forget", 0) != 0);
    }

    int directionCount() {
        return direction.count();
    }

    /** Whether direction {@code index} reads the sequence from its end: reverse, or the second of bidirectional. */
    boolean runsBackward(int index) {
        return direction == Direction.REVERSE || direction == Direction.BIDIRECTIONAL && index == 1;
    }

    /** The time axis of X and Y: 0, or 1 with batch first. */
    int timeAxis() {
        return batchFirst ? 1 : 0;
    }

    /** The direction axis of the initial and last states: 0, or 1 with batch first. */
    int stateDirectionAxis() {
        return batchFirst ? 1 : 0;
    }

    /** The input at {@code index}, or {@code null} when the node omits it. */
    static Value optionalInput(Node node, int index) {
        return index < node.inputs().size() ? node.input(index) : null;
    }

    static AutodiffException cannotExpand(Node node, String reason) {
        String name = node.name().isEmpty() ? "<unnamed>" : node.name();
        return new AutodiffException("cannot expand " + node.opType() + " at node " + name + ": " + reason);
    }

    private static long sequenceLength(Node node, boolean batchFirst) {
        Value x = node.input(X);
        if (!(x.type() instanceof ValueType.TensorType type) || !type.shape().isRankKnown()) {
            throw cannotExpand(node, "the rank of X '" + x.name() + "' is not known");
        }
        if (type.shape().rank() != 3) {
            throw cannotExpand(node, "X '" + x.name() + "' has rank " + type.shape().rank() + ", expected 3");
        }
        if (type.elementType() != ElementType.FLOAT && type.elementType() != ElementType.DOUBLE) {
            throw cannotExpand(node, "X '" + x.name() + "' is " + type.elementType() + "; only FLOAT and DOUBLE are supported");
        }
        if (!(type.shape().dim(batchFirst ? 1 : 0) instanceof Dim.Known length)) {
            throw cannotExpand(node, "sequence length is not statically known (X '" + x.name() + "' has shape "
                    + type.shape() + (batchFirst ? ", layout 1" : "") + ")");
        }
        if (length.size() < 1) {
            throw cannotExpand(node, "X '" + x.name() + "' holds no time steps (shape " + type.shape() + ")");
        }
        return length.size();
    }

    private static Direction direction(Node node) {
        String name = node.attribute("direction").map(Attribute::asString).orElse("forward");
        return switch (name) {
            case "forward" -> Direction.FORWARD;
            case "reverse" -> Direction.REVERSE;
            case "bidirectional" -> Direction.BIDIRECTIONAL;
            default -> throw cannotExpand(node, "direction '" + name + "' is not forward, reverse or bidirectional");
        };
    }

    private static long hiddenSize(Node node) {
        Optional<Long> attribute = node.attribute("hidden_size").map(Attribute::asInt);
        if (attribute.isPresent()) {
            return attribute.get();
        }
        Value r = node.input(R);
        if (r.type() instanceof ValueType.TensorType type && type.shape().isRankKnown()
                && type.shape().rank() == 3 && type.shape().dim(2) instanceof Dim.Known known) {
            return known.size();
        }
        throw cannotExpand(node, "hidden_size is not set and R '" + r.name() + "' does not give it statically (type "
                + r.type() + ")");
    }

    private static OptionalDouble clip(Node node) {
        return node.attribute("clip").map(a -> OptionalDouble.of(a.asFloat())).orElse(OptionalDouble.empty());
    }

    /**
     * The activations per direction: the attribute lists them direction after direction, and
     * each takes its alpha and beta from the running lists of activation_alpha and activation_beta.
     */
    private static List<List<GateActivation>> activations(Node node, RecurrentKind kind, int directionCount) {
        Optional<List<String>> names = node.attribute("activations").map(Attribute::asStrings);
        int perDirection = kind.defaultActivations().size();
        if (names.isEmpty()) {
            return Collections.nCopies(directionCount, kind.defaultActivations());
        }
        if (names.get().size() != perDirection * directionCount) {
            throw cannotExpand(node, "activations lists " + names.get().size() + " functions " + names.get()
                    + ", expected " + perDirection + " per direction for " + directionCount + " direction(s)");
        }
        Iterator<Float> alphas = floats(node, "activation_alpha").iterator();
        Iterator<Float> betas = floats(node, "activation_beta").iterator();
        List<List<GateActivation>> result = new ArrayList<>(directionCount);
        for (int direction = 0; direction < directionCount; direction++) {
            List<GateActivation> functions = new ArrayList<>(perDirection);
            for (String name : names.get().subList(direction * perDirection, (direction + 1) * perDirection)) {
                functions.add(GateActivation.named(name, alphas, betas).orElseThrow(() -> cannotExpand(node,
                        "activation '" + name + "' is not one the ONNX spec lists: " + GateActivation.supportedNames())));
            }
            result.add(List.copyOf(functions));
        }
        return result;
    }

    private static List<Float> floats(Node node, String name) {
        float[] values = node.attribute(name).map(Attribute::asFloats).orElse(new float[0]);
        List<Float> boxed = new ArrayList<>(values.length);
        for (float value : values) {
            boxed.add(value);
        }
        return boxed;
    }

    private static long intAttribute(Node node, String name, long defaultValue) {
        return node.attribute(name).map(Attribute::asInt).orElse(defaultValue);
    }
}
