package dev.tern.ir;

import dev.tern.ir.internal.ModificationFlag;
import dev.tern.ir.internal.ObservedList;
import dev.tern.ir.internal.ObservedMap;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model-local function: an operator ({@code domain::name}) defined by a body of nodes.
 * The body is a {@link Graph} whose inputs and outputs are the function's formal parameters.
 */
public final class Function {
    private final ModificationFlag modification = new ModificationFlag();
    private final String domain;
    private final String name;
    private String overload = "";
    private final Graph body;
    private final List<String> attributeNames = new ObservedList<>(modification::mark);
    private final List<Attribute> attributeDefaults = new ObservedList<>(modification::mark);
    private final Map<String, Long> opsetImports = new ObservedMap<>(modification::mark);
    private String docString = "";
    private final Map<String, String> metadataProps = new ObservedMap<>(modification::mark);
    private OpaqueFields opaqueFields = OpaqueFields.NONE;

    public Function(String domain, String name, Graph body) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.name = Objects.requireNonNull(name, "name");
        this.body = Objects.requireNonNull(body, "body");
    }

    public String domain() {
        return domain;
    }

    public String name() {
        return name;
    }

    public String overload() {
        return overload;
    }

    public void setOverload(String newOverload) {
        this.overload = Objects.requireNonNull(newOverload);
        modification.mark();
    }

    /** The body; its inputs and outputs are the formal parameters. */
    public Graph body() {
        return body;
    }

    /** Names of attributes the function takes without a default (mutable). */
    public List<String> attributeNames() {
        return attributeNames;
    }

    /** Attributes the function takes with a default value (mutable). */
    public List<Attribute> attributeDefaults() {
        return attributeDefaults;
    }

    /** Opset versions the body's nodes are written against, by domain (mutable). */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String newDocString) {
        this.docString = Objects.requireNonNull(newDocString);
        modification.mark();
    }

    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    /** Fields of the function's ONNX {@code FunctionProto} that Tern keeps without interpreting. */
    public OpaqueFields opaqueFields() {
        return opaqueFields;
    }

    public void setOpaqueFields(OpaqueFields fields) {
        this.opaqueFields = Objects.requireNonNull(fields, "fields");
        modification.mark();
    }

    @Override
    public String toString() {
        return "Function(" + (domain.isEmpty() ? "" : domain + "::") + name + ")";
    }

    /** Adds the modification flags of this function and everything in its body and attribute defaults. */
    void collectModificationFlags(List<ModificationFlag> into) {
        into.add(modification);
        body.collectModificationFlags(into);
        for (Attribute attribute : attributeDefaults) {
            attribute.subgraphs().forEach(graph -> graph.collectModificationFlags(into));
        }
    }
}
