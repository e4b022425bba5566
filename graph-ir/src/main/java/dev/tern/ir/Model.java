package dev.tern.ir;

import dev.tern.ir.internal.ModelValidator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model: the main graph plus what ONNX keeps around it (IR version, opset imports,
 * producer, metadata, model-local functions).
 */
public final class Model {
    /** The newest ONNX IR version Tern reads and writes. */
    public static final long LATEST_IR_VERSION = 11;

    private Graph graph;
    private long irVersion = LATEST_IR_VERSION;
    private final Map<String, Long> opsetImports = new LinkedHashMap<>();
    private String producerName = "";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString = "";
    private final Map<String, String> metadataProps = new LinkedHashMap<>();
    private final List<Function> functions = new ArrayList<>();

    public Model(Graph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    public Graph graph() {
        return graph;
    }

    public void setGraph(Graph newGraph) {
        this.graph = Objects.requireNonNull(newGraph);
    }

    public long irVersion() {
        return irVersion;
    }

    public void setIrVersion(long version) {
        this.irVersion = version;
    }

    /** Opset version by domain ("" is the default ai.onnx domain); mutable, in insertion order. */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    public String producerName() {
        return producerName;
    }

    public void setProducerName(String name) {
        this.producerName = Objects.requireNonNull(name);
    }

    public String producerVersion() {
        return producerVersion;
    }

    public void setProducerVersion(String version) {
        this.producerVersion = Objects.requireNonNull(version);
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String newDomain) {
        this.domain = Objects.requireNonNull(newDomain);
    }

    public long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(long version) {
        this.modelVersion = version;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String newDocString) {
        this.docString = Objects.requireNonNull(newDocString);
    }

    /** Free-form metadata ({@code metadata_props}), in insertion order; mutable. */
    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    /** Model-local functions; mutable. */
    public List<Function> functions() {
        return functions;
    }

    /**
     * Checks the whole model: everything {@link Graph#validate()} checks, for the main graph
     * and every function body, plus that each node's domain has an opset import (the model's,
     * or the function's for a function body; "ai.onnx" and "" are the same domain) and that no
     * two functions share a {@code domain::name}.
     *
     * @throws ValidationException describing the first problem found
     */
    public void validate() {
        ModelValidator.validate(this);
    }

    @Override
    public String toString() {
        return "Model(ir " + irVersion + ", opsets " + opsetImports + ", " + graph + ")";
    }
}
