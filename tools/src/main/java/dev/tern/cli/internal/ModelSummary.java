package dev.tern.cli.internal;

import dev.tern.compress.prune.WeightSparsity;
import dev.tern.ir.Function;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.SparseTensor;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code tern inspect} reports about a model, computed once and rendered as text or JSON.
 *
 * @param nodeCount nodes of the main graph and, recursively, of its subgraphs
 * @param parameterCount elements of every initializer of the main graph and its subgraphs
 *     (non-zero values for sparse ones)
 * @param parameterBytes bytes those initializers occupy
 * @param weightSparsity the exact zeros of each floating-point initializer of the main graph
 */
record ModelSummary(
        String file,
        long irVersion,
        Map<String, Long> opsetImports,
        String producerName,
        String producerVersion,
        String domain,
        long modelVersion,
        String docStringFirstLine,
        String graphName,
        List<NamedType> inputs,
        List<NamedType> outputs,
        int nodeCount,
        List<OpCount> opCounts,
        long parameterCount,
        long parameterBytes,
        List<WeightSparsity> weightSparsity,
        List<FunctionSummary> functions,
        Map<String, String> metadata,
        List<String> externalDataFiles) {

    /** A graph input or output; {@code type} is null when the model does not say. */
    record NamedType(String name, ValueType type) {
    }

    /** How many nodes run {@code op}, written {@code domain::type} outside the default domain. */
    record OpCount(String op, int count) {
    }

    /** A model-local function: {@code domain::name} and the number of nodes in its body. */
    record FunctionSummary(String name, int nodeCount) {
    }

    /** The name ONNX also accepts for its default domain, "". */
    private static final String DEFAULT_DOMAIN_ALIAS = "ai.onnx";

    static ModelSummary of(String file, Model model, List<String> externalDataFiles) {
        Graph graph = model.graph();
        List<Graph> graphs = graphAndSubgraphs(graph);
        long[] parameters = countParameters(graphs);
        return new ModelSummary(
                file,
                model.irVersion(),
                new LinkedHashMap<>(model.opsetImports()),
                model.producerName(),
                model.producerVersion(),
                model.domain(),
                model.modelVersion(),
                firstLine(model.docString()),
                graph.name(),
                namedTypes(realInputs(graph)),
                namedTypes(graph.outputs()),
                graph.allNodes().size(),
                opCounts(graph.allNodes()),
                parameters[0],
                parameters[1],
                WeightSparsity.of(model),
                functions(model.functions()),
                new LinkedHashMap<>(model.metadataProps()),
                List.copyOf(externalDataFiles));
    }

    /**
     * Graph inputs that are not initializers: models before IR version 4 list every weight
     * as an input too, which would bury the inputs a caller must actually feed.
     */
    private static List<Value> realInputs(Graph graph) {
        List<Value> inputs = new ArrayList<>();
        for (Value input : graph.inputs()) {
            if (!input.isInitializer()) {
                inputs.add(input);
            }
        }
        return inputs;
    }

    private static List<NamedType> namedTypes(List<Value> values) {
        List<NamedType> result = new ArrayList<>();
        for (Value value : values) {
            result.add(new NamedType(value.name(), value.type()));
        }
        return result;
    }

    private static List<OpCount> opCounts(List<Node> nodes) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Node node : nodes) {
            counts.merge(qualifiedName(node.domain(), node.opType()), 1, Integer::sum);
        }
        List<OpCount> result = new ArrayList<>();
        counts.forEach((op, count) -> result.add(new OpCount(op, count)));
        // Most frequent first; the TreeMap already ordered ties by name and the sort is stable.
        result.sort(Comparator.comparingInt(OpCount::count).reversed());
        return result;
    }

    private static List<Graph> graphAndSubgraphs(Graph graph) {
        List<Graph> result = new ArrayList<>();
        Deque<Graph> pending = new ArrayDeque<>();
        pending.add(graph);
        while (!pending.isEmpty()) {
            Graph next = pending.poll();
            result.add(next);
            for (Node node : next.nodes()) {
                pending.addAll(node.subgraphs());
            }
        }
        return result;
    }

    /** {element count, byte size} summed over the graphs' initializers. */
    private static long[] countParameters(List<Graph> graphs) {
        long elements = 0;
        long bytes = 0;
        for (Graph graph : graphs) {
            for (Value value : graph.initializers().values()) {
                Tensor dense = value.initializer();
                SparseTensor sparse = value.sparseInitializer();
                if (dense != null) {
                    elements += dense.elementCount();
                    bytes += dense.byteSize();
                } else if (sparse != null) {
                    elements += sparse.values().elementCount();
                    bytes += sparse.values().byteSize() + sparse.indices().byteSize();
                }
            }
        }
        return new long[] {elements, bytes};
    }

    private static List<FunctionSummary> functions(List<Function> functions) {
        List<FunctionSummary> result = new ArrayList<>();
        for (Function function : functions) {
            result.add(new FunctionSummary(qualifiedName(function.domain(), function.name()),
                    function.body().allNodes().size()));
        }
        return result;
    }

    /** {@code name}, prefixed with {@code domain::} unless the domain is ONNX's default ("" or "ai.onnx"). */
    private static String qualifiedName(String domain, String name) {
        boolean defaultDomain = domain.isEmpty() || domain.equals(DEFAULT_DOMAIN_ALIAS);
        return defaultDomain ? name : domain + "::" + name;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int end = stripped.indexOf('\n');
        return (end < 0 ? stripped : stripped.substring(0, end)).strip();
    }
}
