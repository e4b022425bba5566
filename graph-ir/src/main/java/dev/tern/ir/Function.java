package dev.tern.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model-local function: an operator ({@code domain::name}) defined by a body of nodes.
 * The body is a {@link Graph} whose inputs and outputs are the function's formal parameters.
 */
public final class Function {
    private final String domain;
    private final String name;
    private String overload = "";
    private final Graph body;
    private final List<String> attributeNames = new ArrayList<>();
    private final List<Attribute> attributeDefaults = new ArrayList<>();
    private final Map<String, Long> opsetImports = new LinkedHashMap<>();
    private String docString = "";
    private final Map<String, String> metadataProps = new LinkedHashMap<>();

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
    }

    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    @Override
    public String toString() {
        return "Function(" + (domain.isEmpty() ? "" : domain + "::") + name + ")";
    }
}
