package dev.tern.ir;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ShapeInference#infer} found. Immutable; the values and nodes it names are the
 * model's own objects.
 */
public final class InferenceReport {

    /**
     * An inferred type that disagrees with the type the model declares for a value (an element
     * type, a rank, or a known dimension differs). The declared type is kept.
     *
     * @param node the node whose rule inferred the type (for a subgraph input, the node holding the subgraph)
     */
    public record Contradiction(Node node, Value value, ValueType declared, ValueType inferred) {
        public Contradiction {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(declared, "declared");
            Objects.requireNonNull(inferred, "inferred");
        }

        /** "node 'mm' (MatMul): value 'y' is declared float[2,3] but inferred float[2,4]". */
        public String describe() {
            return "node " + node.describe() + ": value '" + value.name() + "' is declared " + declared
                    + " but inferred " + inferred;
        }
    }

    /**
     * A node whose inputs its operator cannot accept as typed (for example a MatMul whose inner
     * dimensions differ, or an axis out of range); its outputs are left as they were.
     */
    public record Conflict(Node node, String message) {
        public Conflict {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(message, "message");
        }

        /** "node 'mm' (MatMul): inner dimensions differ: 3 vs 4". */
        public String describe() {
            return "node " + node.describe() + ": " + message;
        }
    }

    private final List<Contradiction> contradictions;
    private final List<Conflict> conflicts;
    private final Map<String, Integer> opsWithoutRule;
    private final List<Value> untypedValues;
    private final List<Value> valuesWithUnknownDims;
    private final int valueCount;

    InferenceReport(List<Contradiction> contradictions, List<Conflict> conflicts, Map<String, Integer> opsWithoutRule,
                    List<Value> untypedValues, List<Value> valuesWithUnknownDims, int valueCount) {
        this.contradictions = List.copyOf(contradictions);
        this.conflicts = List.copyOf(conflicts);
        this.opsWithoutRule = Map.copyOf(opsWithoutRule);
        this.untypedValues = List.copyOf(untypedValues);
        this.valuesWithUnknownDims = List.copyOf(valuesWithUnknownDims);
        this.valueCount = valueCount;
    }

    /** Inferred types that disagree with declared ones, in graph order. */
    public List<Contradiction> contradictions() {
        return contradictions;
    }

    /** Nodes whose input types their operator cannot accept, in graph order. */
    public List<Conflict> conflicts() {
        return conflicts;
    }

    /** Ops that have no inference rule at the model's opset ("domain::Op" outside the default domain), with how many nodes use each. */
    public Map<String, Integer> opsWithoutRule() {
        return opsWithoutRule;
    }

    /** Node outputs and graph inputs, in the main graph and its subgraphs, whose type is still unknown. */
    public List<Value> untypedValues() {
        return untypedValues;
    }

    /**
     * Node outputs and graph inputs, in the main graph and its subgraphs, that have a type but not
     * a complete shape: a tensor shape in the type (a sequence's or an optional's element, a
     * map's value included) has unknown rank or an unknown dimension ({@code ?}). A symbolic
     * dimension such as {@code batch} counts as known. Disjoint from {@link #untypedValues()}.
     */
    public List<Value> valuesWithUnknownDims() {
        return valuesWithUnknownDims;
    }

    /** How many values (graph inputs, initializers and node outputs, subgraphs included) the model has. */
    public int valueCount() {
        return valueCount;
    }

    /** Whether inference found a contradiction or a conflict: a sign that the model is wrong. */
    public boolean hasProblems() {
        return !contradictions.isEmpty() || !conflicts.isEmpty();
    }

    @Override
    public String toString() {
        return "InferenceReport(" + contradictions.size() + " contradictions, " + conflicts.size()
                + " conflicts, " + untypedValues.size() + " of " + valueCount + " values untyped, "
                + valuesWithUnknownDims.size() + " with unknown dims, ops without rule "
                + opsWithoutRule.keySet() + ")";
    }
}
