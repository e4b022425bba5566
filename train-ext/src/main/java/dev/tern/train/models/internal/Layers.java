package dev.tern.train.models.internal;

import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.Locale;
import java.util.Random;

/**
 * Adds layers with freshly initialized weights to a graph, numbering them {@code fc1, fc2, ...}
 * and {@code conv1, conv2, ...}; the embedding and the recurrent layer are named
 * {@code embedding} and after their op ({@code lstm}, {@code gru}). Dense layers made with a
 * scope are named {@code <scope>/fc1, <scope>/fc2, ...}, so two networks in one graph (a GAN's
 * generator and discriminator) keep their weights apart by name.
 */
public final class Layers {
    private static final int LSTM_GATES = 4;
    private static final int GRU_GATES = 3;

    private final GraphBuilder graph;
    private final WeightInit init;
    private final String densePrefix;
    private int denseCount;
    private int convCount;

    public Layers(GraphBuilder graph, Random random) {
        this(graph, random, "");
    }

    /** Layers whose dense weights are named {@code <scope>/fc1.weight}, ...; an empty scope adds no prefix. */
    public Layers(GraphBuilder graph, Random random, String scope) {
        this.graph = graph;
        this.init = new WeightInit(random);
        this.densePrefix = scope.isEmpty() ? "" : scope + "/";
    }

    /**
     * {@code x [batch, in]} times a weight {@code [in, out]} plus a bias {@code [out]}. The
     * weight is He-initialized when a ReLU follows, Glorot-initialized otherwise.
     */
    public Value dense(Value x, int in, int out, boolean reluFollows) {
        return denseWeights(in, out, reluFollows).apply(graph, x);
    }

    /**
     * The weights of a new dense layer, initialized as for {@link #dense}, to apply to several
     * inputs (a discriminator judging real and generated examples with the same weights).
     */
    public Dense denseWeights(int in, int out, boolean reluFollows) {
        String name = densePrefix + "fc" + ++denseCount;
        long[] dims = {in, out};
        Tensor weight = reluFollows ? init.heNormal(name + ".weight", in, dims) : init.glorotUniform(name + ".weight", in, out, dims);
        return new Dense(graph.initializer(weight), graph.initializer(WeightInit.zeros(name + ".bias", out)));
    }

    /** A dense layer's weight {@code [in, out]} and bias {@code [out]}, as initializers of the graph. */
    public record Dense(Value weight, Value bias) {
        /** {@code x [batch, in]} times the weight plus the bias, added to {@code graph}. */
        public Value apply(GraphBuilder graph, Value x) {
            return graph.op("Add", graph.op("MatMul", x, weight), bias);
        }
    }

    /** A 3x3 convolution with stride 1 and padding 1 (same size out), He-initialized for a following ReLU. */
    public Value conv3x3(Value x, int inChannels, int outChannels) {
        String name = "conv" + ++convCount;
        Value w = graph.initializer(init.heNormal(name + ".weight", inChannels * 9, new long[] {outChannels, inChannels, 3, 3}));
        Value b = graph.initializer(WeightInit.zeros(name + ".bias", outChannels));
        return graph.node("Conv").inputs(x, w, b)
                .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1).ints("strides", 1, 1).output();
    }

    /**
     * Looks up int64 token ids {@code [batch, ...]} in a table {@code embedding.weight
     * [vocabulary, width]} drawn from N(0, 1), giving {@code [batch, ..., width]}.
     */
    public Value embedding(Value ids, int vocabulary, int width) {
        Value table = graph.initializer(init.standardNormal("embedding.weight", new long[] {vocabulary, width}));
        return graph.node("Gather").inputs(table, ids).attr("axis", 0L).output();
    }

    /**
     * Runs an {@code LSTM} or {@code GRU} (forward, one direction) over {@code x [batch, steps,
     * in]} and returns its last hidden state reshaped to {@code [batch, hidden]}. With
     * {@code layout} 0 the sequence is transposed time-major first and the node is time-major;
     * with layout 1 the node reads the batch-first sequence itself (ONNX Runtime's CPU kernels
     * refuse that layout, so Tern's training and export rewrite such a node time-major). Input
     * and recurrence weights are Glorot-uniform, biases zero; they are named {@code <op>.weight}
     * (W), {@code <op>.recurrence} (R) and {@code <op>.bias} (B) in lower case.
     */
    public Value recurrent(String op, Value x, int in, int hidden, int layout) {
        int gates = op.equals("LSTM") ? LSTM_GATES : GRU_GATES;
        String name = op.toLowerCase(Locale.ROOT);
        Value w = graph.initializer(init.glorotUniform(name + ".weight", in, hidden, new long[] {1, gates * hidden, in}));
        Value r = graph.initializer(init.glorotUniform(name + ".recurrence", hidden, hidden,
                new long[] {1, gates * hidden, hidden}));
        Value b = graph.initializer(WeightInit.zeros(name + ".bias", 1, 2 * gates * hidden));
        Value sequence = layout == 0 ? graph.node("Transpose").inputs(x).ints("perm", 1, 0, 2).output() : x;
        Value lastHidden = graph.node(op).name(name).inputs(sequence, w, r, b)
                .attr("hidden_size", (long) hidden)
                .attr("layout", (long) layout)
                .outputs(null, name + ".last_hidden").get(1);
        Value rows = graph.initializer(Tensor.ofLongs(name + ".rows", new long[] {2}, -1, hidden));
        return graph.op("Reshape", lastHidden, rows);
    }

    /**
     * A reparameterized Gaussian sample named {@code name}: {@code mu + exp(logVariance / 2) *
     * eps} with eps drawn by {@code RandomNormalLike}, so gradients reach {@code mu} and
     * {@code logVariance} through the sample.
     */
    public Value gaussianSample(Value mu, Value logVariance, String name) {
        Value half = graph.initializer(Tensor.ofFloats(name + ".half", new long[0], 0.5f));
        Value noise = graph.op("RandomNormalLike", mu);
        Value spread = graph.op("Exp", graph.op("Mul", logVariance, half));
        Value sample = graph.op("Add", mu, graph.op("Mul", spread, noise));
        sample.rename(name);
        return sample;
    }
}
