package dev.tern.cli.internal;

import dev.tern.ir.Graph;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.ValidationException;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code tern check} found: whether the model is valid and, if it is, every value's type
 * after shape inference and what inference reported.
 *
 * @param validationError the first validation problem, or {@code null} when the model is valid
 * @param values every value of the main graph and its subgraphs, in graph order; empty when invalid
 * @param inference the inference report; {@code null} when the model is invalid
 */
record CheckSummary(String file, String validationError, List<ValueLine> values, InferenceReport inference) {

    /**
     * One value: its type ({@code null} when unknown) and where it comes from.
     *
     * @param origin "input", "initializer", or the producing node as "name (Op)"
     * @param graph the graph holding it; the main graph's name for top-level values
     */
    record ValueLine(String name, ValueType type, String origin, String graph) {
    }

    /** Validates {@code model}, infers its types in place, and summarizes. */
    static CheckSummary of(String file, Model model) {
        try {
            model.validate();
        } catch (ValidationException e) {
            return new CheckSummary(file, OneLine.of(e), List.of(), null);
        }
        InferenceReport report = ShapeInference.infer(model);
        List<ValueLine> values = new ArrayList<>();
        collect(model.graph(), values);
        return new CheckSummary(file, null, values, report);
    }

    boolean valid() {
        return validationError == null;
    }

    /**
     * The values whose type inference left incomplete: those without a type, then those with an
     * unknown rank or an unknown dimension (a symbolic one such as {@code batch} is known).
     * Only for a valid model: an invalid one has no inference report.
     */
    List<Value> unknownValues() {
        List<Value> unknown = new ArrayList<>(inference.untypedValues());
        unknown.addAll(inference.valuesWithUnknownDims());
        return unknown;
    }

    /** Whether the check fails: an invalid model, or types that contradict each other. */
    boolean failed() {
        return !valid() || inference.hasProblems();
    }

    private static void collect(Graph graph, List<ValueLine> values) {
        for (Value input : graph.inputs()) {
            if (!input.isInitializer()) {
                values.add(new ValueLine(input.name(), input.type(), "input", graph.name()));
            }
        }
        for (Value initializer : graph.initializers().values()) {
            values.add(new ValueLine(initializer.name(), initializer.type(), "initializer", graph.name()));
        }
        for (Node node : graph.nodes()) {
            for (Value output : node.outputs()) {
                if (output != null) {
                    values.add(new ValueLine(output.name(), output.type(), node.describe(), graph.name()));
                }
            }
            node.subgraphs().forEach(subgraph -> collect(subgraph, values));
        }
    }
}
