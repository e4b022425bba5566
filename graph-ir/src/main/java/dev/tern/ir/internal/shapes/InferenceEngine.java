package dev.tern.ir.internal.shapes;

import dev.tern.ir.Graph;
import dev.tern.ir.InferenceReport.Conflict;
import dev.tern.ir.InferenceReport.Contradiction;
import dev.tern.ir.IrException;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.ir.internal.Domains;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Walks a model's main graph in node order, runs each node's rule, and merges what it infers
 * into the values' types; subgraphs are inferred when the rule of the node holding them asks
 * ({@link #inferSubgraph}). Besides types it follows the contents of small integer tensors
 * (shapes computed with Shape, Gather, Concat), so a Reshape to a computed shape keeps its
 * symbolic dimensions.
 */
public final class InferenceEngine {

    /** What one run found; see {@code InferenceReport}. */
    public record Outcome(List<Contradiction> contradictions, List<Conflict> conflicts,
                          Map<String, Integer> opsWithoutRule, List<Value> untypedValues,
                          List<Value> valuesWithUnknownDims, int valueCount) {
    }

    /**
     * The first IR version in which a graph input may override an initializer of the same name.
     * Before it every initializer had to be listed among the inputs and stayed a constant
     * (ONNX Runtime's {@code Graph::CanOverrideInitializer}); model-zoo CNNs are IR 3.
     */
    private static final long FIRST_IR_WITH_OVERRIDABLE_INITIALIZERS = 4;

    private final OpRegistry registry = OpRegistry.standard();
    private final Map<String, Long> opsets = new HashMap<>();
    /** Every value's type before inference, so a subgraph can be inferred again from scratch. */
    private final Map<Value, ValueType> declared = new IdentityHashMap<>();
    /** Graph inputs: from IR version 4 on, an initializer that is also one is a default the caller may override, not a constant. */
    private final Set<Value> graphInputs = Collections.newSetFromMap(new IdentityHashMap<>());
    private final boolean initializersOverridable;
    private final Map<Value, Tensor> constants = new IdentityHashMap<>();
    private final Map<Value, List<IntElement>> contents = new IdentityHashMap<>();
    private final List<Contradiction> contradictions = new ArrayList<>();
    private final List<Conflict> conflicts = new ArrayList<>();
    private final Map<Node, String> nodesWithoutRule = new LinkedHashMap<>();

    private InferenceEngine(Model model) {
        initializersOverridable = model.irVersion() >= FIRST_IR_WITH_OVERRIDABLE_INITIALIZERS;
        model.opsetImports().forEach((domain, version) -> opsets.put(Domains.normalize(domain), version));
        remember(model.graph());
    }

    /** Infers the types of {@code model}'s main graph and its subgraphs in place. */
    public static Outcome run(Model model) {
        InferenceEngine engine = new InferenceEngine(model);
        engine.inferGraph(model.graph());
        return engine.outcome(model.graph());
    }

    // ---- walking

    void inferGraph(Graph graph) {
        for (Node node : graph.nodes()) {
            inferNode(node);
        }
    }

    private void inferNode(Node node) {
        Long version = opsets.get(Domains.normalize(node.domain()));
        OpRule rule = version == null ? null : registry.find(node.domain(), node.opType(), version);
        if (rule == null) {
            nodesWithoutRule.put(node, qualifiedOp(node));
            return;
        }
        try {
            rule.infer(new NodeContext(this, node, version));
        } catch (ShapeConflict | IrException | ArithmeticException e) {
            // IrException: an attribute of the wrong kind; ArithmeticException: sizes that overflow a long.
            conflicts.add(new Conflict(node, e.getMessage()));
        }
    }

    /**
     * Gives {@code body}'s inputs {@code inputTypes} (a {@code null} entry leaves that input as
     * it is), infers the body, and returns its outputs' types ({@code null} where unknown).
     *
     * @param holder the node holding the body, named in contradictions about its inputs
     */
    List<ValueType> inferSubgraph(Node holder, Graph body, List<ValueType> inputTypes) {
        List<Value> inputs = body.inputs();
        for (int i = 0; i < inputs.size() && i < inputTypes.size(); i++) {
            if (inputTypes.get(i) != null) {
                assign(holder, inputs.get(i), inputTypes.get(i));
            }
        }
        inferGraph(body);
        List<ValueType> outputs = new ArrayList<>();
        for (Value output : body.outputs()) {
            outputs.add(output.type());
        }
        return outputs;
    }

    /**
     * Forgets everything inferred inside {@code body} (types, contents, findings), so it can be
     * inferred again with wider input types: a Loop whose state changes shape across iterations.
     */
    void resetSubgraph(Graph body) {
        Set<Object> forgotten = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value input : body.inputs()) {
            input.setType(declared.get(input));
            forgotten.add(input);
        }
        for (Node node : body.allNodes()) {
            forgotten.add(node);
            nodesWithoutRule.remove(node);
            for (Graph subgraph : node.subgraphs()) {
                subgraph.inputs().forEach(input -> input.setType(declared.get(input)));
                forgotten.addAll(subgraph.inputs());
            }
            for (Value output : node.outputs()) {
                if (output != null) {
                    output.setType(declared.get(output));
                    contents.remove(output);
                    constants.remove(output);
                    forgotten.add(output);
                }
            }
        }
        contradictions.removeIf(c -> forgotten.contains(c.value()));
        conflicts.removeIf(c -> forgotten.contains(c.node()));
    }

    // ---- what rules read and write

    /**
     * Sets {@code value}'s type to {@code inferred}, or sharpens the type it has; a contradiction
     * keeps the type it has and is reported against {@code node}.
     */
    void assign(Node node, Value value, ValueType inferred) {
        ValueType current = value.type();
        if (current == null) {
            value.setType(inferred);
            return;
        }
        ValueType merged = TypeMerge.merge(current, inferred);
        if (merged == null) {
            contradictions.add(new Contradiction(node, value, current, inferred));
        } else {
            value.setType(merged);
        }
    }

    /**
     * The constant {@code value} holds: an initializer the caller cannot override (one that is
     * not a graph input, or any one before IR version 4), or a Constant node's output.
     */
    Tensor constant(Value value) {
        boolean overridable = initializersOverridable && graphInputs.contains(value);
        if (value.initializer() != null && !overridable) {
            return value.initializer();
        }
        return constants.get(value);
    }

    void setConstant(Value value, Tensor tensor) {
        constants.put(value, tensor);
    }

    /** The followed contents of a small integer tensor, or {@code null}. */
    List<IntElement> contents(Value value) {
        List<IntElement> known = contents.get(value);
        if (known != null) {
            return known;
        }
        Tensor tensor = constant(value);
        return tensor == null ? null : TensorValues.contents(tensor);
    }

    void setContents(Value value, List<IntElement> elements) {
        contents.put(value, List.copyOf(elements));
    }

    // ---- bookkeeping

    private void remember(Graph graph) {
        for (Value input : graph.inputs()) {
            declared.put(input, input.type());
            graphInputs.add(input);
        }
        for (Node node : graph.nodes()) {
            for (Value output : node.outputs()) {
                if (output != null) {
                    declared.put(output, output.type());
                }
            }
            node.subgraphs().forEach(this::remember);
        }
    }

    private Outcome outcome(Graph main) {
        ValueCensus census = ValueCensus.of(main);
        Map<String, Integer> withoutRule = new TreeMap<>();
        nodesWithoutRule.values().forEach(op -> withoutRule.merge(op, 1, Integer::sum));
        return new Outcome(contradictions, conflicts, withoutRule, census.untyped(), census.withUnknownDims(),
                census.valueCount());
    }

    private static String qualifiedOp(Node node) {
        String domain = Domains.normalize(node.domain());
        return domain.isEmpty() ? node.opType() : domain + "::" + node.opType();
    }
}
