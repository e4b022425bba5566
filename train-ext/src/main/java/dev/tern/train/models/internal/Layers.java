package dev.tern.train.models.internal;

import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.Random;

/**
 * Adds dense and convolution layers with freshly initialized weights to a graph, numbering
 * them {@code fc1, fc2, ...} and {@code conv1, conv2, ...}.
 */
public final class Layers {
    private final GraphBuilder graph;
    private final WeightInit init;
    private int denseCount;
    private int convCount;

    public Layers(GraphBuilder graph, Random random) {
        this.graph = graph;
        this.init = new WeightInit(random);
    }

    /**
     * {@code x [batch, in]} times a weight {@code [in, out]} plus a bias {@code [out]}. The
     * weight is He-initialized when a ReLU follows, Glorot-initialized otherwise.
     */
    public Value dense(Value x, int in, int out, boolean reluFollows) {
        String name = "fc" + ++denseCount;
        long[] dims = {in, out};
        Tensor weight = reluFollows ? init.heNormal(name + ".weight", in, dims) : init.glorotUniform(name + ".weight", in, out, dims);
        Value w = graph.initializer(weight);
        Value b = graph.initializer(WeightInit.zeros(name + ".bias", out));
        return graph.op("Add", graph.op("MatMul", x, w), b);
    }

    /** A 3x3 convolution with stride 1 and padding 1 (same size out), He-initialized for a following ReLU. */
    public Value conv3x3(Value x, int inChannels, int outChannels) {
        String name = "conv" + ++convCount;
        Value w = graph.initializer(init.heNormal(name + ".weight", inChannels * 9, new long[] {outChannels, inChannels, 3, 3}));
        Value b = graph.initializer(WeightInit.zeros(name + ".bias", outChannels));
        return graph.node("Conv").inputs(x, w, b)
                .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1).ints("strides", 1, 1).output();
    }
}
