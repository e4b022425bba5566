package dev.tern.train.models;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.models.internal.Layers;

import java.util.Random;

/**
 * Fresh, trainable models built with {@link GraphBuilder}, for training from scratch. Every
 * model has one float input {@value #INPUT} whose first dimension is the symbolic
 * {@value #BATCH}, and one output: for classifiers {@value #LOGITS} of shape
 * {@code [batch, classes]} (unnormalized scores: apply softmax or a cross-entropy loss), for
 * the regression MLP {@value #PREDICTION} of shape {@code [batch, outputs]}. Weights are initializers:
 * He-normal for layers followed by ReLU, Glorot-uniform for the output layer, zero biases,
 * all drawn from the given seed, so the same arguments give bit-identical models. Weight names
 * are {@code <layer>.weight} and {@code <layer>.bias} ({@code conv1}, {@code fc1}, ...).
 * The models use opset {@value #OPSET} and are validated before they are returned.
 */
public final class ModelTemplates {
    /** The name of every template's input. */
    public static final String INPUT = "input";
    /** The name of every classifier template's output. */
    public static final String LOGITS = "logits";
    /** The name of the regression template's output. */
    public static final String PREDICTION = "prediction";
    /** The symbolic name of the batch dimension. */
    public static final String BATCH = "batch";
    /** The default-domain opset the templates import. */
    public static final long OPSET = 17;

    /** Output channels of the CNN's first convolution. */
    private static final int CNN_CONV1_CHANNELS = 16;
    /** Output channels of the CNN's second convolution. */
    private static final int CNN_CONV2_CHANNELS = 32;
    /** Width of the CNN's hidden dense layer. */
    private static final int CNN_DENSE_WIDTH = 64;

    private ModelTemplates() {
    }

    /**
     * A multi-layer perceptron: {@code input [batch, inputs]}, then for each entry of
     * {@code hidden} a dense layer of that width with ReLU, then a dense layer to
     * {@code classes} logits. {@code mlp(64, new int[] {128}, 10, seed)} is the 64-128-10
     * digits model.
     *
     * @throws IllegalArgumentException if a size is below 1 or {@code classes} is below 2
     */
    public static Model mlp(int inputs, int[] hidden, int classes, long seed) {
        requireClasses(classes);
        return perceptron(inputs, hidden, classes, LOGITS, seed);
    }

    /**
     * A multi-layer perceptron for regression: as {@link #mlp}, but its last dense layer gives
     * {@code outputs} values named {@value #PREDICTION} (train it with a mean squared error or
     * L1 loss, or with binary cross-entropy on one logit per output).
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Model regressionMlp(int inputs, int[] hidden, int outputs, long seed) {
        return perceptron(inputs, hidden, outputs, PREDICTION, seed);
    }

    private static Model perceptron(int inputs, int[] hidden, int outputs, String outputName, long seed) {
        requirePositive("inputs", inputs);
        for (int width : hidden) {
            requirePositive("hidden layer width", width);
        }
        requirePositive("outputs", outputs);
        GraphBuilder g = GraphBuilder.create("mlp");
        Layers layers = new Layers(g, new Random(seed));
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(inputs));
        int width = inputs;
        for (int next : hidden) {
            x = g.op("Relu", layers.dense(x, width, next, true));
            width = next;
        }
        return finish(g, layers.dense(x, width, outputs, false), outputs, outputName);
    }

    /**
     * A small convolutional network for {@code input [batch, channels, height, width]}: two
     * 3x3 convolutions (16 then 32 channels, padded to keep the size) each with ReLU, a 2x2 max
     * pool with stride 2, then a dense layer of 64 with ReLU and a dense layer to
     * {@code classes} logits. Odd heights and widths lose their last row or column in the pool.
     *
     * @throws IllegalArgumentException if {@code channels} is below 1, {@code height} or
     *     {@code width} below 2, or {@code classes} below 2
     */
    public static Model cnn(int channels, int height, int width, int classes, long seed) {
        requirePositive("channels", channels);
        if (height < 2 || width < 2) {
            throw new IllegalArgumentException("the CNN's 2x2 pool needs an image of at least 2x2, found "
                    + height + "x" + width);
        }
        requireClasses(classes);
        GraphBuilder g = GraphBuilder.create("cnn");
        Layers layers = new Layers(g, new Random(seed));
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(channels), Dim.of(height), Dim.of(width));
        Value conv1 = g.op("Relu", layers.conv3x3(x, channels, CNN_CONV1_CHANNELS));
        Value conv2 = g.op("Relu", layers.conv3x3(conv1, CNN_CONV1_CHANNELS, CNN_CONV2_CHANNELS));
        Value pooled = g.node("MaxPool").inputs(conv2)
                .ints("kernel_shape", 2, 2).ints("strides", 2, 2).output();
        Value flat = g.node("Flatten").inputs(pooled).attr("axis", 1L).output();
        int flatSize = CNN_CONV2_CHANNELS * (height / 2) * (width / 2);
        Value dense = g.op("Relu", layers.dense(flat, flatSize, CNN_DENSE_WIDTH, true));
        return finish(g, layers.dense(dense, CNN_DENSE_WIDTH, classes, false), classes, LOGITS);
    }

    private static Model finish(GraphBuilder g, Value output, int width, String outputName) {
        // Declared so that the model states its interface even to tools that do not infer shapes.
        output.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of(BATCH), Dim.of(width))));
        g.output(output, outputName);
        return g.toModel(OPSET);
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, found " + value);
        }
    }

    private static void requireClasses(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, found " + classes);
        }
    }
}
