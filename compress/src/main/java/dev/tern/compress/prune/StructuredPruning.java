package dev.tern.compress.prune;

import dev.tern.compress.prune.internal.ChannelCut;
import dev.tern.compress.prune.internal.ChannelTrace;
import dev.tern.compress.prune.internal.LayerWeights;
import dev.tern.compress.prune.internal.TensorSlices;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.ShapeInference;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Structured pruning: whole output channels of Conv layers and output neurons (columns) of
 * Gemm and MatMul layers go, those of smallest weight norm first, so the model gets smaller and
 * faster rather than only sparser. The same fraction of every layer's channels is removed
 * (at least one channel stays); a layer whose channels reach a graph output (a classifier's
 * last layer) keeps them.
 *
 * <pre>{@code
 * ChannelPlan plan = StructuredPruning.plan(model, 0.5, ChannelNorm.L2);
 * Model smaller = StructuredPruning.removeChannels(model, plan);
 * }</pre>
 *
 * <p>{@link #zeroChannels} gives the dense model with the planned channels' weights and biases
 * zeroed instead; where the activation after a layer maps 0 to 0 (ReLU), both compute the same.
 */
public final class StructuredPruning {
    private StructuredPruning() {
    }

    /**
     * Which channels to keep: in each Conv, Gemm and MatMul layer with a float32 weight
     * initializer, the {@code round((1 - fraction) * channels)} (at least 1) of largest
     * {@code norm}, measured on the kernel's weights for that channel.
     *
     * @throws IllegalArgumentException if {@code fraction} is not in [0, 1)
     * @throws PruningException if the model has no layer weight, or a layer's channels reach a
     *     consumer that cannot lose them (a Reshape, a Concat, a residual Add, a grouped Conv),
     *     naming that node
     */
    public static ChannelPlan plan(Model model, double fraction, ChannelNorm norm) {
        MagnitudePruning.requireSparsity(fraction);
        Model inferred = model.copy();
        ShapeInference.infer(inferred);
        Map<String, Node> layers = LayerWeights.of(inferred);
        if (layers.isEmpty()) {
            throw new PruningException("model graph '" + model.graph().name()
                    + "' has no float32 Conv, Gemm or MatMul weight initializer to prune");
        }
        List<ChannelPlan.Layer> pruned = new ArrayList<>();
        Map<String, String> untouched = new LinkedHashMap<>();
        layers.forEach((weight, node) -> {
            Optional<List<ChannelCut>> cuts = ChannelTrace.cuts(inferred.graph(), node);
            if (cuts.isEmpty()) {
                untouched.put(weight, "its channels reach a graph output");
                return;
            }
            int[] channelAxis = ChannelTrace.channelAxis(node);
            Tensor kernel = node.graph().initializers().get(weight).initializer();
            double[] norms = TensorSlices.norms(kernel, channelAxis[1], norm == ChannelNorm.L2);
            pruned.add(new ChannelPlan.Layer(weight, channelAxis[0], strongest(norms, fraction)));
        });
        return new ChannelPlan(pruned, untouched);
    }

    /**
     * A copy of {@code model} without the channels {@code plan} removes.
     *
     * @throws dev.tern.ir.passes.PassException if the plan does not fit the model
     */
    public static Model removeChannels(Model model, ChannelPlan plan) {
        return new ChannelRemoval(plan).apply(model).model();
    }

    /**
     * A copy of {@code model} of the same shapes with the kernel entries and biases of the
     * channels {@code plan} removes set to zero: the masked dense model the smaller one replaces.
     *
     * @throws PruningException if a planned layer is missing or its channels cannot be followed
     */
    public static Model zeroChannels(Model model, ChannelPlan plan) {
        Model zeroed = model.copy();
        ShapeInference.infer(zeroed);
        Map<String, Node> layers = LayerWeights.of(zeroed);
        for (ChannelPlan.Layer layer : plan.layers()) {
            Node node = layers.get(layer.weight());
            if (node == null) {
                throw new PruningException("model graph '" + model.graph().name() + "' has no layer with weight '"
                        + layer.weight() + "'");
            }
            List<ChannelCut> cuts = ChannelTrace.cuts(zeroed.graph(), node).orElseThrow();
            for (ChannelCut cut : cuts) {
                if (cut.producer()) {
                    Value initializer = zeroed.graph().initializers().get(cut.initializer());
                    initializer.setInitializer(TensorSlices.zero(initializer.initializer(), cut.axis(),
                            layer.removed(), cut.block()));
                }
            }
        }
        return zeroed;
    }

    /** The channels of largest norm, {@code round((1 - fraction) * n)} of them and at least 1, ascending. */
    private static int[] strongest(double[] norms, double fraction) {
        int keep = Math.max(1, (int) Math.round((1 - fraction) * norms.length));
        return IntStream.range(0, norms.length).boxed()
                .sorted(Comparator.comparingDouble((Integer channel) -> -norms[channel]).thenComparing(channel -> channel))
                .limit(keep).mapToInt(Integer::intValue).sorted().toArray();
    }
}
