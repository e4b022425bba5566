package dev.tern.ir.internal.shapes;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Shape;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * If, Loop and Scan: their bodies are inferred with the types the node feeds them. A Loop or
 * Scan state that changes shape between iterations (a tensor that grows) is widened to what
 * holds for both, and the body inferred again, so nothing inside claims a size that holds
 * only on the first iteration.
 */
final class ControlFlowRules {
    /** Widening only turns dimensions unknown and then ranks unknown, so it settles in at most this many passes. */
    private static final int MAX_PASSES = 3;

    private ControlFlowRules() {
    }

    static void register(OpRegistry registry) {
        registry.add(ControlFlowRules::ifRule, "If");
        registry.add(ControlFlowRules::loop, "Loop");
        // Opset 8's Scan had a batch axis and a sequence_lens input; only the form from opset 9 is covered.
        registry.addSince("Scan", 9, ControlFlowRules::scan);
    }

    /** Each output holds what both branches' outputs have in common. */
    private static void ifRule(NodeContext node) {
        Graph thenBranch = node.graphAttr("then_branch");
        Graph elseBranch = node.graphAttr("else_branch");
        if (thenBranch == null || elseBranch == null) {
            throw node.conflict("If needs both then_branch and else_branch");
        }
        List<ValueType> thenTypes = node.engine().inferSubgraph(node.node(), thenBranch, List.of());
        List<ValueType> elseTypes = node.engine().inferSubgraph(node.node(), elseBranch, List.of());
        if (thenTypes.size() != elseTypes.size() || thenTypes.size() != node.outputCount()) {
            throw node.conflict("the branches have " + thenTypes.size() + " and " + elseTypes.size()
                    + " outputs for " + node.outputCount() + " node outputs");
        }
        for (int i = 0; i < thenTypes.size(); i++) {
            node.setOutput(i, TypeMerge.generalize(thenTypes.get(i), elseTypes.get(i)));
        }
    }

    /**
     * Loop(M, cond, v...): the body reads (iteration, cond, v...) and returns (cond, v..., scan
     * outputs...). Scan outputs stack one slice per iteration; their length is M when M is a
     * constant and no condition can stop the loop early.
     */
    private static void loop(NodeContext node) {
        Graph body = node.graphAttr("body");
        int stateCount = node.inputCount() - 2;
        List<ValueType> states = new ArrayList<>();
        for (int i = 0; i < stateCount; i++) {
            states.add(node.inputType(2 + i));
        }
        List<ValueType> fixed = List.of(ValueType.tensor(ElementType.INT64, Shape.scalar()),
                ValueType.tensor(ElementType.BOOL, Shape.scalar()));
        List<ValueType> outputs = inferToFixpoint(node, body, fixed, states, List.of(), 1);
        for (int i = 0; i < stateCount; i++) {
            node.setOutput(i, states.get(i));
        }
        long[] tripCount = node.longs(0);
        Dim iterations = tripCount != null && !node.hasInput(1) ? Dim.of(tripCount[0]) : Dim.UNKNOWN;
        for (int k = 1 + stateCount; k < outputs.size(); k++) {
            node.setOutput(k - 1, stacked(outputs.get(k), iterations, 0));
        }
    }

    /**
     * Scan(states..., scan inputs...): the body reads one slice of each scan input along its
     * axis; each scan output stacks the body's slices along its axis.
     */
    private static void scan(NodeContext node) {
        Graph body = node.graphAttr("body");
        int scanInputs = (int) node.intAttr("num_scan_inputs", 0);
        int stateCount = node.inputCount() - scanInputs;
        long[] inputAxes = node.intsAttr("scan_input_axes");
        long[] outputAxes = node.intsAttr("scan_output_axes");
        List<ValueType> states = new ArrayList<>();
        for (int i = 0; i < stateCount; i++) {
            states.add(node.inputType(i));
        }
        List<ValueType> slices = new ArrayList<>();
        Dim length = Dim.UNKNOWN;
        for (int j = 0; j < scanInputs; j++) {
            Shape shape = node.shape(stateCount + j);
            ElementType type = node.elementType(stateCount + j);
            if (!shape.isRankKnown() || type == null) {
                slices.add(null);
                continue;
            }
            int axis = Dims.normalizeAxis(inputAxes == null ? 0 : inputAxes[j], shape.rank(), "scan input axis");
            List<Dim> dims = new ArrayList<>(shape.dims());
            Dim along = dims.remove(axis);
            length = j == 0 ? along : Dims.unify(length, along);
            slices.add(ValueType.tensor(type, Shape.of(dims)));
        }
        List<ValueType> outputs = inferToFixpoint(node, body, List.of(), states, slices, 0);
        for (int i = 0; i < stateCount; i++) {
            node.setOutput(i, states.get(i));
        }
        for (int k = stateCount; k < outputs.size(); k++) {
            long axis = outputAxes == null ? 0 : outputAxes[k - stateCount];
            node.setOutput(k, stacked(outputs.get(k), length, axis));
        }
    }

    /**
     * Infers {@code body} fed {@code before}, {@code states} and {@code after}, widening
     * {@code states} in place until the body returns states of the same types; if they do not
     * settle, the states are inferred as unknown.
     *
     * @param firstState index of the first state among the body's outputs
     * @return the body's output types from the last pass
     */
    private static List<ValueType> inferToFixpoint(NodeContext node, Graph body, List<ValueType> before,
                                                   List<ValueType> states, List<ValueType> after, int firstState) {
        if (body == null) {
            throw node.conflict("the body attribute is missing");
        }
        for (int pass = 1; ; pass++) {
            List<ValueType> inputs = new ArrayList<>(before);
            inputs.addAll(states);
            inputs.addAll(after);
            List<ValueType> outputs = node.engine().inferSubgraph(node.node(), body, inputs);
            if (pass > MAX_PASSES || widen(states, outputs, firstState)) {
                return outputs;
            }
            node.engine().resetSubgraph(body);
            if (pass == MAX_PASSES) {
                states.replaceAll(type -> null);
            }
        }
    }

    /** Widens each state to what also holds for the body's returned state; true when none changed. */
    private static boolean widen(List<ValueType> states, List<ValueType> outputs, int firstState) {
        boolean settled = true;
        for (int i = 0; i < states.size() && firstState + i < outputs.size(); i++) {
            ValueType widened = TypeMerge.generalize(states.get(i), outputs.get(firstState + i));
            if (!Objects.equals(widened, states.get(i))) {
                states.set(i, widened);
                settled = false;
            }
        }
        return settled;
    }

    /** A slice type with {@code length} inserted at {@code axis}; {@code null} when the slice type is unknown. */
    private static ValueType stacked(ValueType slice, Dim length, long axis) {
        if (!(slice instanceof ValueType.TensorType tensor)) {
            return null;
        }
        if (!tensor.shape().isRankKnown()) {
            return ValueType.tensor(tensor.elementType(), Shape.unknownRank());
        }
        List<Dim> dims = new ArrayList<>(tensor.shape().dims());
        dims.add(Dims.normalizeAxis(axis, dims.size() + 1, "scan output axis"), length);
        return ValueType.tensor(tensor.elementType(), Shape.of(dims));
    }
}
