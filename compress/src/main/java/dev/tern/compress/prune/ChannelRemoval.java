package dev.tern.compress.prune;

import dev.tern.compress.prune.internal.ChannelCut;
import dev.tern.compress.prune.internal.ChannelTrace;
import dev.tern.compress.prune.internal.LayerWeights;
import dev.tern.compress.prune.internal.TensorSlices;
import dev.tern.ir.Graph;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Value;
import dev.tern.ir.passes.Pass;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Removes the channels a {@link ChannelPlan} drops, on a copy: each pruned layer's kernel and
 * bias lose those output channels, and every weight downstream that reads them loses them too
 * (a following Conv's input channels, BatchNormalization's parameters, per-channel constants,
 * a following Gemm's or MatMul's rows, in blocks after a Flatten). The graph keeps its nodes,
 * inputs and outputs; its inner value shapes are inferred again.
 *
 * <p>Requires: every planned layer is in the graph with the planned channel count, and its
 * channels can be followed (see {@link StructuredPruning#plan}). Ensures: each pruned kernel
 * has the kept number of channels, and the graph is valid.
 */
public final class ChannelRemoval extends Pass {
    private final ChannelPlan plan;

    public ChannelRemoval(ChannelPlan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    @Override
    public String name() {
        return "prune-channels";
    }

    @Override
    public boolean inPlace() {
        return false;
    }

    @Override
    protected void requires(Model model) {
        Map<String, Node> layers = LayerWeights.of(model);
        for (ChannelPlan.Layer layer : plan.layers()) {
            Node node = layers.get(layer.weight());
            if (node == null || ChannelTrace.channelAxis(node)[0] != layer.channels()) {
                throw new IllegalStateException("expected a Conv, Gemm or MatMul with weight '" + layer.weight()
                        + "' and " + layer.channels() + " output channels in model graph '" + model.graph().name()
                        + "', found " + (node == null ? "none" : node.describe() + " with "
                        + ChannelTrace.channelAxis(node)[0]));
            }
        }
    }

    @Override
    protected boolean run(Model model) {
        ShapeInference.infer(model);
        Graph graph = model.graph();
        Map<String, Node> layers = LayerWeights.of(model);
        // Traced first, cut after: a cut changes the weights the next layer's trace checks.
        Map<ChannelPlan.Layer, List<ChannelCut>> cuts = new HashMap<>();
        for (ChannelPlan.Layer layer : plan.layers()) {
            cuts.put(layer, ChannelTrace.cuts(graph, layers.get(layer.weight())).orElseThrow(() ->
                    new PruningException("layer weight '" + layer.weight() + "' reaches a graph output")));
        }
        boolean changed = false;
        for (ChannelPlan.Layer layer : plan.layers()) {
            for (ChannelCut cut : cuts.get(layer)) {
                Value initializer = graph.initializers().get(cut.initializer());
                initializer.setInitializer(TensorSlices.keep(initializer.initializer(), cut.axis(), layer.kept(),
                        cut.block()));
            }
            changed |= layer.kept().length < layer.channels();
        }
        reinferInnerShapes(model);
        return changed;
    }

    @Override
    protected void ensures(Model model) {
        Map<String, Node> layers = LayerWeights.of(model);
        for (ChannelPlan.Layer layer : plan.layers()) {
            int found = ChannelTrace.channelAxis(layers.get(layer.weight()))[0];
            if (found != layer.kept().length) {
                throw new IllegalStateException("weight '" + layer.weight() + "' should have " + layer.kept().length
                        + " output channels, found " + found);
            }
        }
        model.validate();
    }

    /** Forgets the shapes of values computed inside the graph, which counted the old channels, and infers them anew. */
    private static void reinferInnerShapes(Model model) {
        Graph graph = model.graph();
        for (Node node : graph.nodes()) {
            for (Value output : node.outputs()) {
                if (output != null && output.graphsOutputting().isEmpty()) {
                    output.setType(null);
                }
            }
        }
        ShapeInference.infer(model);
    }
}
