package dev.tern.ir.passes;

import dev.tern.ir.Graph;
import dev.tern.ir.InferenceReport;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link ShapeInference} as a pass: fills in the element types and shapes of the main graph's
 * and its subgraphs' values. It changes types only, never structure. Requires a valid model
 * ({@link Model#validate()}), since inference does not check scoping itself. Contradictions with
 * declared types and ops without a rule are not failures: inference keeps the declared type and
 * leaves such outputs as they are. In place.
 */
public final class ShapeInferencePass extends Pass {
    private final Consumer<InferenceReport> reportSink;

    /** A pass that drops inference's report. */
    public ShapeInferencePass() {
        this(report -> { });
    }

    /** A pass that hands each run's report to {@code reportSink}, for a caller that wants to show it. */
    public ShapeInferencePass(Consumer<InferenceReport> reportSink) {
        this.reportSink = Objects.requireNonNull(reportSink, "reportSink");
    }

    @Override
    public String name() {
        return "shape-inference";
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    protected void requires(Model model) {
        model.validate();
    }

    @Override
    protected boolean run(Model model) {
        List<Value> values = new ArrayList<>();
        collectValues(model.graph(), values);
        List<ValueType> before = values.stream().map(Value::type).toList();
        reportSink.accept(ShapeInference.infer(model));
        for (int i = 0; i < values.size(); i++) {
            if (!Objects.equals(before.get(i), values.get(i).type())) {
                return true;
            }
        }
        return false;
    }

    private static void collectValues(Graph graph, List<Value> into) {
        into.addAll(graph.inputs());
        into.addAll(graph.initializers().values());
        for (Node node : graph.nodes()) {
            node.outputs().stream().filter(Objects::nonNull).forEach(into::add);
            node.subgraphs().forEach(subgraph -> collectValues(subgraph, into));
        }
    }
}
