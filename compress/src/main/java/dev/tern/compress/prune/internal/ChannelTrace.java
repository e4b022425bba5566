package dev.tern.compress.prune.internal;

import dev.tern.compress.prune.PruningException;
import dev.tern.ir.Dim;
import dev.tern.ir.Graph;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Follows a layer's output channels (a Conv's channel axis, the columns of a Gemm or MatMul)
 * from the weights that compute them to every consumer that must lose them too, and lists the
 * initializers to cut. Channels flow through elementwise ops (with per-channel or scalar
 * constants), pooling, BatchNormalization (whose parameters are cut) and Flatten (after which
 * each channel is a block of height times width features) into a Conv's input channels or the
 * rows of a Gemm or MatMul weight. Needs the graph's value shapes inferred.
 */
public final class ChannelTrace {
    /** Ops that map each channel to itself. */
    private static final Set<String> ELEMENTWISE = Set.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Selu",
            "Celu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Gelu", "Mish", "Abs", "Neg", "Identity",
            "Dropout", "Clip");
    /** Ops that pool each channel on its own (channel axis 1). */
    private static final Set<String> POOLS = Set.of("MaxPool", "AveragePool", "LpPool", "GlobalAveragePool",
            "GlobalMaxPool");
    /** Binary ops whose other operand may be a per-channel constant. */
    private static final Set<String> ARITHMETIC = Set.of("Add", "Sub", "Mul", "Div");

    private final Graph graph;
    private final Node layer;
    private final int channels;
    private final List<ChannelCut> cuts = new ArrayList<>();

    private ChannelTrace(Graph graph, Node layer, int channels) {
        this.graph = graph;
        this.layer = layer;
        this.channels = channels;
    }

    /** Where a channel sits in a traced value: its axis, the value's rank, and its entries' block size there. */
    private record Layout(int axis, int rank, int block) {
    }

    /**
     * The number of output channels of {@code layer}, a Conv, Gemm or MatMul that
     * {@link LayerWeights#kernel} accepts, and the axis of its kernel holding them.
     */
    public static int[] channelAxis(Node layer) {
        Tensor kernel = LayerWeights.kernel(layer).initializer();
        int axis = switch (layer.opType()) {
            case "Conv" -> 0;
            case "Gemm" -> intAttribute(layer, "transB", 0) == 1 ? 0 : 1;
            default -> 1;
        };
        return new int[] {Math.toIntExact(kernel.dims()[axis]), axis};
    }

    /**
     * The initializers to cut to remove output channels of {@code layer} (its kernel first), or
     * empty when the channels reach a graph output (a classifier's classes), which must keep them.
     *
     * @throws PruningException naming the node if a consumer cannot lose channels, the layer is
     *     a grouped Conv, or a weight to cut is shared with other nodes
     */
    public static Optional<List<ChannelCut>> cuts(Graph graph, Node layer) {
        int[] channelAxis = channelAxis(layer);
        ChannelTrace trace = new ChannelTrace(graph, layer, channelAxis[0]);
        return trace.producer(channelAxis[1]) ? Optional.of(List.copyOf(trace.cuts)) : Optional.empty();
    }

    private boolean producer(int kernelAxis) {
        if (layer.opType().equals("Conv") && intAttribute(layer, "group", 1) != 1) {
            throw refusal(layer, "a grouped Conv ties its output channels to its input channels");
        }
        cut(LayerWeights.kernel(layer), kernelAxis, 1, true, layer);
        Value output = layer.output(0);
        int rank = rank(output, layer);
        Value bias = layer.inputs().size() > 2 ? layer.input(2) : null;
        if (bias != null && layer.opType().equals("Conv")) {
            cut(bias, 0, 1, true, layer);
        } else if (bias != null) {
            perChannelConstant(bias, new Layout(1, 2, 1), layer, true);
        }
        return follow(output, new Layout(layer.opType().equals("Conv") ? 1 : rank - 1, rank, 1));
    }

    /** Follows {@code value} to its readers; false if it is a graph output. */
    private boolean follow(Value value, Layout layout) {
        if (!value.graphsOutputting().isEmpty()) {
            return false;
        }
        for (Value.Use use : List.copyOf(value.uses())) {
            if (!consumer(use.node(), use.inputIndex(), layout)) {
                return false;
            }
        }
        return true;
    }

    private boolean consumer(Node node, int index, Layout layout) {
        String op = node.domain().isEmpty() ? node.opType() : node.domain() + "." + node.opType();
        if (ELEMENTWISE.contains(op) && index == 0) {
            requireOnlyFirstOutputRead(node);
            return follow(node.output(0), layout);
        }
        if (POOLS.contains(op) && index == 0 && layout.axis() == 1) {
            requireOnlyFirstOutputRead(node);
            return follow(node.output(0), layout);
        }
        if (ARITHMETIC.contains(op)) {
            // A MatMul layer's bias is the Add right after it: part of what computes the channel.
            boolean bias = op.equals("Add") && node.input(index) == layer.output(0);
            perChannelConstant(node.input(1 - index), layout, node, bias);
            return follow(node.output(0), layout);
        }
        switch (op) {
            case "BatchNormalization" -> {
                if (index != 0 || layout.axis() != 1) {
                    throw refusal(node, "its channels are not on axis 1 of input X");
                }
                for (int parameter = 1; parameter <= 4; parameter++) {
                    cut(node.input(parameter), 0, 1, false, node);
                }
                requireOnlyFirstOutputRead(node);
                return follow(node.output(0), layout);
            }
            case "Flatten" -> {
                return follow(node.output(0), flattened(node, layout));
            }
            case "Conv" -> {
                if (index != 0 || layout.axis() != 1 || layout.block() != 1 || intAttribute(node, "group", 1) != 1) {
                    throw refusal(node, "only an ungrouped Conv reading the channels on axis 1 of X can lose input channels");
                }
                cut(node.input(1), 1, 1, false, node);
                return true;
            }
            case "Gemm" -> {
                if (index != 0 || intAttribute(node, "transA", 0) != 0 || layout.axis() != 1) {
                    throw refusal(node, "only a Gemm reading the channels as the columns of A (transA 0) can lose rows of B");
                }
                cut(node.input(1), intAttribute(node, "transB", 0) == 1 ? 1 : 0, layout.block(), false, node);
                return true;
            }
            case "MatMul" -> {
                Value weight = node.input(1);
                if (index != 0 || weight.initializer() == null || weight.initializer().rank() != 2
                        || layout.axis() != layout.rank() - 1) {
                    throw refusal(node, "only a MatMul reading the channels on the last axis of A, with a constant "
                            + "2-D B, can lose rows of B");
                }
                cut(weight, 0, layout.block(), false, node);
                return true;
            }
            default -> throw refusal(node, "its result depends on the number of channels in a way pruning cannot cut");
        }
    }

    /**
     * Flatten after the channel axis: a channel becomes a block of the features after it, which
     * the next layer's rows follow.
     */
    private Layout flattened(Node flatten, Layout layout) {
        int axis = Math.toIntExact(intAttribute(flatten, "axis", 1));
        if (axis < 0) {
            axis += layout.rank();
        }
        if (axis != layout.axis()) {
            throw refusal(flatten, "it flattens from axis " + axis + ", expected the channel axis " + layout.axis());
        }
        Value input = flatten.input(0);
        long block = layout.block();
        List<Dim> dims = ((ValueType.TensorType) input.type()).shape().dims();
        for (int i = layout.axis() + 1; i < layout.rank(); i++) {
            if (!(dims.get(i) instanceof Dim.Known known)) {
                throw refusal(flatten, "input '" + input.name() + "' has no known size on axis " + i
                        + ", which the rows per channel after flattening depend on");
            }
            block *= known.size();
        }
        return new Layout(1, 2, Math.toIntExact(block));
    }

    /**
     * Cuts {@code constant} where it holds one entry per channel (aligned from the right, as
     * broadcasting does), and leaves it if it broadcasts along the channel axis.
     */
    private void perChannelConstant(Value constant, Layout layout, Node node, boolean producer) {
        if (constant == null || constant.initializer() == null) {
            throw refusal(node, "its other operand is not a constant, so the channels would meet another stream");
        }
        long[] dims = constant.initializer().dims();
        int axis = layout.axis() - (layout.rank() - dims.length);
        if (axis < 0 || dims[axis] == 1) {
            return;
        }
        if (dims[axis] != (long) channels * layout.block()) {
            throw refusal(node, "constant '" + constant.name() + "' has " + dims[axis] + " entries on the channel axis, "
                    + "expected " + channels * layout.block() + " or 1");
        }
        cut(constant, axis, layout.block(), producer, node);
    }

    private void cut(Value initializer, int axis, int block, boolean producer, Node reader) {
        if (initializer == null || initializer.initializer() == null
                || graph.initializers().get(initializer.name()) != initializer) {
            throw refusal(reader, "its parameter " + (initializer == null ? "(absent)" : "'" + initializer.name() + "'")
                    + " is not an initializer");
        }
        if (initializer.uses().size() != 1) {
            throw refusal(reader, "its parameter '" + initializer.name() + "' is shared with "
                    + initializer.uses().stream().map(use -> use.node().describe()).toList());
        }
        cuts.add(new ChannelCut(initializer.name(), axis, block, producer));
    }

    private void requireOnlyFirstOutputRead(Node node) {
        for (int i = 1; i < node.outputs().size(); i++) {
            Value extra = node.output(i);
            if (extra != null && (extra.isUsed() || !extra.graphsOutputting().isEmpty())) {
                throw refusal(node, "its output '" + extra.name() + "' is read as well");
            }
        }
    }

    private int rank(Value value, Node node) {
        if (!(value.type() instanceof ValueType.TensorType tensor) || !tensor.shape().isRankKnown()) {
            throw refusal(node, "output '" + value.name() + "' has no known rank");
        }
        return tensor.shape().rank();
    }

    private PruningException refusal(Node node, String why) {
        return new PruningException("graph '" + graph.name() + "': cannot remove output channels of "
                + layer.describe() + " (weight '" + LayerWeights.kernel(layer).name() + "'): they reach "
                + node.describe() + ", and " + why);
    }

    private static long intAttribute(Node node, String name, long absent) {
        return node.attribute(name).map(attribute -> attribute.asInt()).orElse(absent);
    }
}
