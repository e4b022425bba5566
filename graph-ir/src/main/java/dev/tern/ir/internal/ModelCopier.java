package dev.tern.ir.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.AttributeType;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.TrainingInfo;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep-copies a model: every graph, subgraph, function body and training graph, node and value
 * is a new object, so editing the copy leaves the original alone. Tensors are immutable and
 * shared, so weights (memory-mapped ones included) are not copied. Values are mapped by
 * identity, so a subgraph's reads of outer values, a graph input that is also an initializer,
 * and a training graph's reads of values no graph defines come out the same way in the copy.
 */
public final class ModelCopier {
    private final Map<Value, Value> copies = new IdentityHashMap<>();

    private ModelCopier() {
    }

    /** The copy of {@code model}; modified exactly when the original is. */
    public static Model copy(Model model) {
        ModelCopier copier = new ModelCopier();
        Model copy = new Model(copier.graph(model.graph()));
        copy.setIrVersion(model.irVersion());
        copy.opsetImports().putAll(model.opsetImports());
        copy.setProducerName(model.producerName());
        copy.setProducerVersion(model.producerVersion());
        copy.setDomain(model.domain());
        copy.setModelVersion(model.modelVersion());
        copy.setDocString(model.docString());
        copy.metadataProps().putAll(model.metadataProps());
        model.functions().forEach(function -> copy.functions().add(copier.function(function)));
        model.trainingInfo().forEach(info -> copy.trainingInfo().add(copier.trainingInfo(info)));
        copy.setOpaqueFields(model.opaqueFields());
        if (!model.isModified()) {
            copy.clearModified();
        }
        return copy;
    }

    private Function function(Function source) {
        Function target = new Function(source.domain(), source.name(), graph(source.body()));
        target.setOverload(source.overload());
        target.attributeNames().addAll(source.attributeNames());
        source.attributeDefaults().forEach(attribute -> target.attributeDefaults().add(attribute(attribute)));
        target.opsetImports().putAll(source.opsetImports());
        target.setDocString(source.docString());
        target.metadataProps().putAll(source.metadataProps());
        target.setOpaqueFields(source.opaqueFields());
        return target;
    }

    private TrainingInfo trainingInfo(TrainingInfo source) {
        TrainingInfo target = new TrainingInfo();
        if (source.initialization() != null) {
            target.setInitialization(graph(source.initialization()));
        }
        if (source.algorithm() != null) {
            target.setAlgorithm(graph(source.algorithm()));
        }
        target.initializationBindings().putAll(source.initializationBindings());
        target.updateBindings().putAll(source.updateBindings());
        target.setOpaqueFields(source.opaqueFields());
        return target;
    }

    private Graph graph(Graph source) {
        Graph target = new Graph(source.name());
        target.setDocString(source.docString());
        target.metadataProps().putAll(source.metadataProps());
        target.quantizationAnnotations().putAll(source.quantizationAnnotations());
        target.setOpaqueFields(source.opaqueFields());
        for (Value initializer : source.initializers().values()) {
            target.addInitializer(initializer(initializer));
        }
        source.inputs().forEach(input -> target.addInput(value(input)));
        source.nodes().forEach(node -> target.appendNode(node(node)));
        source.outputs().forEach(output -> target.addOutput(value(output)));
        return target;
    }

    private Node node(Node source) {
        List<Value> inputs = new ArrayList<>();
        source.inputs().forEach(input -> inputs.add(input == null ? null : value(input)));
        List<Value> outputs = new ArrayList<>();
        source.outputs().forEach(output -> outputs.add(output == null ? null : value(output)));
        List<Attribute> attributes = new ArrayList<>();
        source.attributes().values().forEach(attribute -> attributes.add(attribute(attribute)));
        Node copy = new Node(source.domain(), source.opType(), inputs, outputs, attributes);
        copy.setName(source.name());
        copy.setOverload(source.overload());
        copy.setDocString(source.docString());
        copy.metadataProps().putAll(source.metadataProps());
        copy.setOpaqueFields(source.opaqueFields());
        return copy;
    }

    /** Subgraphs are copied; every other attribute is immutable and shared. */
    private Attribute attribute(Attribute source) {
        if (source.subgraphs().isEmpty()) {
            return source;
        }
        Attribute copy = source.type() == AttributeType.GRAPH
                ? Attribute.ofGraph(source.name(), graph(source.asGraph()))
                : Attribute.ofGraphs(source.name(), source.asGraphs().stream().map(this::graph).toList());
        return copy.withDocString(source.docString()).withOpaqueFields(source.opaqueFields());
    }

    private Value initializer(Value source) {
        Value copy = source.initializer() != null
                ? Value.constant(source.name(), source.initializer())
                : Value.sparseConstant(source.name(), source.sparseInitializer());
        copyAnnotations(source, copy);
        copies.put(source, copy);
        return copy;
    }

    /** The copy of {@code source}, made on first sight: a node may read a value before (or without) its definition. */
    private Value value(Value source) {
        return copies.computeIfAbsent(source, original -> {
            Value copy = new Value(original.name());
            copyAnnotations(original, copy);
            return copy;
        });
    }

    private static void copyAnnotations(Value source, Value target) {
        target.setType(source.type());
        target.setDocString(source.docString());
        target.metadataProps().putAll(source.metadataProps());
        target.setOpaqueFields(source.opaqueFields());
    }
}
