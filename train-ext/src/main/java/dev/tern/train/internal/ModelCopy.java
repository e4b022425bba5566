package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.AttributeType;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a model's structure so a pass can rewrite the copy and leave the caller's model as
 * it was. Weights are shared, not copied (tensors are immutable); model-local functions are
 * shared too, since no pass here edits them.
 */
public final class ModelCopy {
    private final Map<Value, Value> copies = new IdentityHashMap<>();

    private ModelCopy() {
    }

    /** A copy of {@code model} whose graphs, nodes and values are new objects. */
    public static Model of(Model model) {
        ModelCopy copier = new ModelCopy();
        Model copy = new Model(copier.graph(model.graph()));
        copy.setIrVersion(model.irVersion());
        copy.opsetImports().putAll(model.opsetImports());
        copy.setProducerName(model.producerName());
        copy.setProducerVersion(model.producerVersion());
        copy.setDomain(model.domain());
        copy.setModelVersion(model.modelVersion());
        copy.setDocString(model.docString());
        copy.metadataProps().putAll(model.metadataProps());
        copy.functions().addAll(model.functions());
        return copy;
    }

    private Graph graph(Graph source) {
        Graph target = new Graph(source.name());
        target.setDocString(source.docString());
        target.metadataProps().putAll(source.metadataProps());
        for (Value initializer : source.initializers().values()) {
            Value copy = initializer.initializer() != null
                    ? Value.constant(initializer.name(), initializer.initializer())
                    : Value.sparseConstant(initializer.name(), initializer.sparseInitializer());
            copy.setType(initializer.type());
            copies.put(initializer, copy);
            target.addInitializer(copy);
        }
        for (Value input : source.inputs()) {
            Value copy = copies.get(input);
            if (copy == null) {
                copy = value(input);
            }
            target.addInput(copy);
        }
        for (Node node : source.nodes()) {
            target.appendNode(node(node));
        }
        for (Value output : source.outputs()) {
            target.addOutput(copies.get(output));
        }
        return target;
    }

    private Node node(Node source) {
        List<Value> inputs = new ArrayList<>();
        for (Value input : source.inputs()) {
            inputs.add(input == null ? null : copies.get(input));
        }
        List<Value> outputs = new ArrayList<>();
        for (Value output : source.outputs()) {
            outputs.add(output == null ? null : value(output));
        }
        List<Attribute> attributes = new ArrayList<>();
        for (Attribute attribute : source.attributes().values()) {
            attributes.add(attribute(attribute));
        }
        Node copy = new Node(source.domain(), source.opType(), inputs, outputs, attributes);
        copy.setName(source.name());
        copy.setOverload(source.overload());
        copy.setDocString(source.docString());
        copy.metadataProps().putAll(source.metadataProps());
        return copy;
    }

    /** Subgraphs are copied (their nodes may read values of this graph); every other attribute is immutable and shared. */
    private Attribute attribute(Attribute source) {
        if (source.isReference()) {
            return source;
        }
        if (source.type() == AttributeType.GRAPH) {
            return Attribute.ofGraph(source.name(), graph(source.asGraph())).withDocString(source.docString());
        }
        if (source.type() == AttributeType.GRAPHS) {
            List<Graph> graphs = new ArrayList<>();
            for (Graph graph : source.asGraphs()) {
                graphs.add(graph(graph));
            }
            return Attribute.ofGraphs(source.name(), graphs).withDocString(source.docString());
        }
        return source;
    }

    private Value value(Value source) {
        Value copy = new Value(source.name(), source.type());
        copy.setDocString(source.docString());
        copy.metadataProps().putAll(source.metadataProps());
        copies.put(source, copy);
        return copy;
    }
}
