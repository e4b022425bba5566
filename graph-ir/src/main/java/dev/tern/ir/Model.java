package dev.tern.ir;

import dev.tern.ir.internal.ModelCopier;
import dev.tern.ir.internal.ModelValidator;
import dev.tern.ir.internal.ModificationFlag;
import dev.tern.ir.internal.ObservedList;
import dev.tern.ir.internal.ObservedMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model: the main graph plus what ONNX keeps around it (IR version, opset imports,
 * producer, metadata, model-local functions, training steps).
 *
 * <p>A model knows whether it changed since it was read ({@link #isModified()}): every setter,
 * edit method and mutable collection of the model, its graphs, nodes, values, functions and
 * training infos records the change. The exporter uses this to decide whose name goes into the
 * file's producer fields.
 */
public final class Model {
    /** The newest ONNX IR version Tern knows; a model built in code starts at this version. */
    public static final long LATEST_IR_VERSION = 13;

    private final ModificationFlag modification = new ModificationFlag();
    private Graph graph;
    private long irVersion = LATEST_IR_VERSION;
    private final Map<String, Long> opsetImports = new ObservedMap<>(modification::mark);
    private String producerName = "";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString = "";
    private final Map<String, String> metadataProps = new ObservedMap<>(modification::mark);
    private final List<Function> functions = new ObservedList<>(modification::mark);
    private final List<TrainingInfo> trainingInfo = new ObservedList<>(modification::mark);
    private OpaqueFields opaqueFields = OpaqueFields.NONE;

    public Model(Graph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    public Graph graph() {
        return graph;
    }

    public void setGraph(Graph newGraph) {
        this.graph = Objects.requireNonNull(newGraph);
        modification.mark();
    }

    public long irVersion() {
        return irVersion;
    }

    public void setIrVersion(long version) {
        this.irVersion = version;
        modification.mark();
    }

    /** Opset version by domain ("" is the default ai.onnx domain); mutable, in insertion order. */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    /**
     * The tool that produced the model, as its file says (or as set). An exporter writes it only
     * for a model that is not {@link #isModified() modified}; a model built in code or changed
     * since it was read is written as produced by Tern.
     */
    public String producerName() {
        return producerName;
    }

    /** Sets the producer's name. Naming the producer is not itself a modification. */
    public void setProducerName(String name) {
        this.producerName = Objects.requireNonNull(name);
    }

    /** The version of {@link #producerName()}'s tool. */
    public String producerVersion() {
        return producerVersion;
    }

    /** Sets the producer's version. Naming the producer is not itself a modification. */
    public void setProducerVersion(String version) {
        this.producerVersion = Objects.requireNonNull(version);
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String newDomain) {
        this.domain = Objects.requireNonNull(newDomain);
        modification.mark();
    }

    public long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(long version) {
        this.modelVersion = version;
        modification.mark();
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String newDocString) {
        this.docString = Objects.requireNonNull(newDocString);
        modification.mark();
    }

    /** Free-form metadata ({@code metadata_props}), in insertion order; mutable. */
    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    /** Model-local functions; mutable. */
    public List<Function> functions() {
        return functions;
    }

    /** Training steps stored with the model ({@code training_info}), in order; mutable. */
    public List<TrainingInfo> trainingInfo() {
        return trainingInfo;
    }

    /**
     * Fields of the model's ONNX {@code ModelProto} that Tern keeps without interpreting: its
     * multi-device configurations and fields of a newer schema.
     */
    public OpaqueFields opaqueFields() {
        return opaqueFields;
    }

    public void setOpaqueFields(OpaqueFields fields) {
        this.opaqueFields = Objects.requireNonNull(fields, "fields");
        modification.mark();
    }

    /**
     * Whether the model differs from the one that was read: true for a model built in code
     * (until {@link #clearModified()}), and for a model read from a file once anything in it
     * changed. Looks at every graph, node and value, so it costs a walk over the model.
     */
    public boolean isModified() {
        return modificationFlags().stream().anyMatch(ModificationFlag::isSet);
    }

    /**
     * Takes the model as it is now for the one that was read, so {@link #isModified()} is false
     * until the next change. The importer calls this once a model is read.
     */
    public void clearModified() {
        modificationFlags().forEach(ModificationFlag::clear);
    }

    /**
     * Checks the whole model: everything {@link Graph#validate()} checks, for the main graph
     * and every function body, plus that each node's domain has an opset import (the model's,
     * or the function's for a function body; "ai.onnx" and "" are the same domain) and that no
     * two functions share a {@code domain::name}. Training info graphs are not checked.
     *
     * @throws ValidationException describing the first problem found
     */
    public void validate() {
        ModelValidator.validate(this);
    }

    /**
     * A deep copy: every graph (main, subgraphs, function bodies, training graphs), node and
     * value is a new object, with all metadata, quantization annotations, training bindings and
     * opaque fields, so editing the copy leaves this model as it was and exporting it writes the
     * same file. Tensors are immutable and shared, not copied (a memory-mapped weight stays
     * mapped once). The copy is {@link #isModified() modified} exactly when this model is.
     */
    public Model copy() {
        return ModelCopier.copy(this);
    }

    @Override
    public String toString() {
        return "Model(ir " + irVersion + ", opsets " + opsetImports + ", " + graph + ")";
    }

    private List<ModificationFlag> modificationFlags() {
        List<ModificationFlag> flags = new ArrayList<>();
        flags.add(modification);
        graph.collectModificationFlags(flags);
        functions.forEach(function -> function.collectModificationFlags(flags));
        trainingInfo.forEach(info -> info.collectModificationFlags(flags));
        return flags;
    }
}
