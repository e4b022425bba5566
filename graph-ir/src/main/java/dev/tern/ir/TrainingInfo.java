package dev.tern.ir;

import dev.tern.ir.internal.ModificationFlag;
import dev.tern.ir.internal.ObservedMap;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Training steps an ONNX model carries beside its inference graph ({@code TrainingInfoProto}):
 * an initialization graph that computes starting values, an algorithm graph that computes one
 * training step, and bindings saying which initializers their outputs overwrite. Tern keeps
 * these so a round trip loses nothing; its own training ({@code dev.tern.train}) does not run
 * them.
 *
 * <p>The graphs stand on their own in the IR: ONNX lets an algorithm graph read values of the
 * inference graph by name, and such a name becomes a value of its own there, not the inference
 * graph's {@link Value}. {@link Model#validate()} does not check these graphs.
 */
public final class TrainingInfo {
    private final ModificationFlag modification = new ModificationFlag();
    private Graph initialization;
    private Graph algorithm;
    private final Map<String, String> initializationBindings = new ObservedMap<>(modification::mark);
    private final Map<String, String> updateBindings = new ObservedMap<>(modification::mark);
    private OpaqueFields opaqueFields = OpaqueFields.NONE;

    /** The graph computing initial values, or {@code null} when there is none. */
    public Graph initialization() {
        return initialization;
    }

    /** Sets the initialization graph; {@code null} removes it. */
    public void setInitialization(Graph graph) {
        this.initialization = graph;
        modification.mark();
    }

    /** The graph computing one training step, or {@code null} when there is none. */
    public Graph algorithm() {
        return algorithm;
    }

    /** Sets the algorithm graph; {@code null} removes it. */
    public void setAlgorithm(Graph graph) {
        this.algorithm = graph;
        modification.mark();
    }

    /**
     * Which initializer each output of the initialization graph sets: initializer name to
     * output name, in insertion order; mutable.
     */
    public Map<String, String> initializationBindings() {
        return initializationBindings;
    }

    /**
     * Which initializer each output of the algorithm graph updates after a step: initializer
     * name to output name, in insertion order; mutable.
     */
    public Map<String, String> updateBindings() {
        return updateBindings;
    }

    /** Fields of the ONNX {@code TrainingInfoProto} that Tern keeps without interpreting. */
    public OpaqueFields opaqueFields() {
        return opaqueFields;
    }

    public void setOpaqueFields(OpaqueFields fields) {
        this.opaqueFields = Objects.requireNonNull(fields, "fields");
        modification.mark();
    }

    @Override
    public String toString() {
        return "TrainingInfo(initialization " + (initialization == null ? "none" : "'" + initialization.name() + "'")
                + ", algorithm " + (algorithm == null ? "none" : "'" + algorithm.name() + "'") + ")";
    }

    /** Adds the modification flags of this training info and everything in its graphs. */
    void collectModificationFlags(List<ModificationFlag> into) {
        into.add(modification);
        if (initialization != null) {
            initialization.collectModificationFlags(into);
        }
        if (algorithm != null) {
            algorithm.collectModificationFlags(into);
        }
    }
}
