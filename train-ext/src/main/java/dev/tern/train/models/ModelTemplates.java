package dev.tern.train.models;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.models.internal.Layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fresh, trainable models built with {@link GraphBuilder}, for training from scratch. Every
 * model has an input {@value #INPUT} whose first dimension is the symbolic {@value #BATCH}:
 * float features, or int64 token ids for the sequence classifiers (the GAN has a second, its
 * noise {@value #LATENT}). Classifiers give
 * {@value #LOGITS} of shape {@code [batch, classes]} (unnormalized scores: apply softmax or a
 * cross-entropy loss), the regression MLP {@value #PREDICTION} of shape {@code [batch, outputs]},
 * the autoencoder {@value #RECONSTRUCTION} and its {@value #CODE}, the VAE {@value #LOGITS} (of
 * the reconstructed pixels), {@value #MU} and {@value #LOG_VARIANCE}, with its latent sample
 * named {@value #LATENT}, the GAN {@value #GENERATED}, {@value #REAL_SCORE} and
 * {@value #FAKE_SCORE}. Each model states what it is trained for in the metadata entry
 * {@value #TASK}: {@value #CLASSIFY}, {@value #REGRESS}, {@value #RECONSTRUCT}, {@value #VAE} or
 * {@value #GAN}.
 *
 * <p>Weights are initializers: He-normal for layers followed by ReLU, Glorot-uniform for
 * linear layers and recurrent gates, N(0, 1) for embeddings, zero biases, all drawn from the
 * given seed, so the same arguments give bit-identical models. Weight names are
 * {@code <layer>.weight} and {@code <layer>.bias} ({@code conv1}, {@code fc1}, ...,
 * {@code embedding}, {@code lstm}, {@code gru}). The models use opset {@value #OPSET} and are
 * validated before they are returned.
 */
public final class ModelTemplates {
    /** The name of every template's input. */
    public static final String INPUT = "input";
    /** The name of every classifier template's output. */
    public static final String LOGITS = "logits";
    /** The name of the regression template's output. */
    public static final String PREDICTION = "prediction";
    /** The autoencoder's output, the input reconstructed through a Sigmoid. */
    public static final String RECONSTRUCTION = "reconstruction";
    /** The autoencoder's bottleneck, the encoder's output. */
    public static final String CODE = "code";
    /** The VAE's latent mean, an output. */
    public static final String MU = "mu";
    /** The VAE's latent log-variance, an output. */
    public static final String LOG_VARIANCE = "logvar";
    /** The VAE's latent sample, the decoder's input; it is not an output. The GAN's noise input. */
    public static final String LATENT = "z";
    /** The GAN generator's output: examples in [0, 1] of the input's width. */
    public static final String GENERATED = "generated";
    /** The GAN discriminator's logit that the input {@value #INPUT} is real, {@code [batch, 1]}. */
    public static final String REAL_SCORE = "real_score";
    /** The GAN discriminator's logit that {@value #GENERATED} is real, {@code [batch, 1]}. */
    public static final String FAKE_SCORE = "fake_score";
    /** The scope of the GAN generator's weights: they are named {@code generator/fc1.weight}, .... */
    public static final String GENERATOR = "generator";
    /** The scope of the GAN discriminator's weights: {@code discriminator/fc1.weight}, .... */
    public static final String DISCRIMINATOR = "discriminator";
    /** The metadata key under which a template names its task. */
    public static final String TASK = "tern.task";
    /** The task of the classifiers: cross-entropy on {@value #LOGITS} against class labels. */
    public static final String CLASSIFY = "classify";
    /** The task of the regression MLP: {@value #PREDICTION} against numeric labels. */
    public static final String REGRESS = "regress";
    /** The autoencoder's task: {@value #RECONSTRUCTION} against the input. */
    public static final String RECONSTRUCT = "reconstruct";
    /** The VAE's task: reconstruction of the input from {@value #LOGITS} plus the latent's KL term. */
    public static final String VAE = "vae";
    /** The GAN's task: its discriminator and generator trained by turns on {@value #REAL_SCORE} and {@value #FAKE_SCORE}. */
    public static final String GAN = "gan";
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
    /** The GAN discriminator's LeakyReLU slope for negative inputs, DCGAN's choice. */
    private static final float GAN_LEAKY_SLOPE = 0.2f;

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
        return perceptron(inputs, hidden, classes, LOGITS, CLASSIFY, seed);
    }

    /**
     * A multi-layer perceptron for regression: as {@link #mlp}, but its last dense layer gives
     * {@code outputs} values named {@value #PREDICTION} (train it with a mean squared error or
     * L1 loss, or with binary cross-entropy on one logit per output).
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Model regressionMlp(int inputs, int[] hidden, int outputs, long seed) {
        return perceptron(inputs, hidden, outputs, PREDICTION, REGRESS, seed);
    }

    private static Model perceptron(int inputs, int[] hidden, int outputs, String outputName, String task, long seed) {
        requirePositive("inputs", inputs);
        requireWidths(hidden);
        requirePositive("outputs", outputs);
        GraphBuilder g = GraphBuilder.create("mlp");
        Layers layers = new Layers(g, new Random(seed));
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(inputs));
        Value hiddenOut = reluStack(layers, g, x, inputs, hidden);
        output(g, layers.dense(hiddenOut, last(inputs, hidden), outputs, false), outputs, outputName);
        return finish(g, task);
    }

    /**
     * An autoencoder for features scaled to [0, 1] (pixels / 16 for digits): the encoder is a
     * dense layer with ReLU per entry of {@code hidden} and a linear layer to {@code latent}
     * values, output as {@value #CODE}; the decoder mirrors it (the hidden widths in reverse,
     * with ReLU) back to {@code inputs} values through a Sigmoid, output as
     * {@value #RECONSTRUCTION}. {@code autoencoder(64, new int[] {32}, 8, seed)} is
     * 64-32-8-32-64. Its task is {@value #RECONSTRUCT}.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Model autoencoder(int inputs, int[] hidden, int latent, long seed) {
        requireCoder(inputs, hidden, latent);
        GraphBuilder g = GraphBuilder.create("autoencoder");
        Layers layers = new Layers(g, new Random(seed));
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(inputs));
        Value code = layers.dense(reluStack(layers, g, x, inputs, hidden), last(inputs, hidden), latent, false);
        Value reconstruction = g.op("Sigmoid", decoder(layers, g, code, latent, hidden, inputs));
        output(g, reconstruction, inputs, RECONSTRUCTION);
        output(g, code, latent, CODE);
        return finish(g, RECONSTRUCT);
    }

    /**
     * A variational autoencoder for features in [0, 1]: the encoder (a dense layer with ReLU
     * per entry of {@code hidden}) gives a latent mean {@value #MU} and log-variance
     * {@value #LOG_VARIANCE} of {@code latent} values each; a sample {@value #LATENT}
     * {@code = mu + exp(logvar / 2) * eps}, eps from {@code RandomNormalLike}, feeds the decoder
     * (the hidden widths in reverse, with ReLU) whose last linear layer gives {@value #LOGITS}
     * of the {@code inputs} values (apply a Sigmoid for pixels, or train with binary
     * cross-entropy on logits). Its task is {@value #VAE}: that reconstruction summed per
     * example plus the Gaussian KL term of mu and logvar.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Model vae(int inputs, int[] hidden, int latent, long seed) {
        requireCoder(inputs, hidden, latent);
        GraphBuilder g = GraphBuilder.create("vae");
        Layers layers = new Layers(g, new Random(seed));
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(inputs));
        Value encoded = reluStack(layers, g, x, inputs, hidden);
        Value mu = layers.dense(encoded, last(inputs, hidden), latent, false);
        Value logVariance = layers.dense(encoded, last(inputs, hidden), latent, false);
        Value z = layers.gaussianSample(mu, logVariance, LATENT);
        output(g, decoder(layers, g, z, latent, hidden, inputs), inputs, LOGITS);
        output(g, mu, latent, MU);
        output(g, logVariance, latent, LOG_VARIANCE);
        return finish(g, VAE);
    }

    /**
     * A generative adversarial network for examples of {@code outputs} features in [0, 1]
     * (pixels / 16 for digits), generator and discriminator in one graph. The generator takes
     * noise {@value #LATENT} {@code [batch, latent]} through a dense layer with ReLU per entry
     * of {@code hidden} in reverse to {@code outputs} values through a Sigmoid, output as
     * {@value #GENERATED}. The discriminator, a dense layer with LeakyReLU (alpha 0.2) per entry
     * of {@code hidden} and a linear layer to one logit, judges the real examples
     * {@value #INPUT} {@code [batch, outputs]} as {@value #REAL_SCORE} and the generated ones as
     * {@value #FAKE_SCORE}, with the same weights. Weights are scoped {@value #GENERATOR}/ and
     * {@value #DISCRIMINATOR}/. {@code gan(64, new int[] {128}, 16, seed)} is the digits GAN
     * 16-128-64 against 64-128-1. Its task is {@value #GAN}.
     *
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Model gan(int outputs, int[] hidden, int latent, long seed) {
        requireCoder(outputs, hidden, latent);
        GraphBuilder g = GraphBuilder.create("gan");
        Random random = new Random(seed);
        Layers generator = new Layers(g, random, GENERATOR);
        Layers discriminator = new Layers(g, random, DISCRIMINATOR);
        Value real = g.input(INPUT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(outputs));
        Value noise = g.input(LATENT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(latent));
        Value generated = g.op("Sigmoid", decoder(generator, g, noise, latent, hidden, outputs));
        List<Layers.Dense> critic = new ArrayList<>();
        int width = outputs;
        for (int next : hidden) {
            critic.add(discriminator.denseWeights(width, next, true));
            width = next;
        }
        critic.add(discriminator.denseWeights(width, 1, false));
        output(g, generated, outputs, GENERATED);
        output(g, judge(g, critic, real), 1, REAL_SCORE);
        output(g, judge(g, critic, generated), 1, FAKE_SCORE);
        return finish(g, GAN);
    }

    /** The discriminator's layers applied to {@code x}: LeakyReLU after each but the last. */
    private static Value judge(GraphBuilder g, List<Layers.Dense> layers, Value x) {
        Value out = x;
        for (int i = 0; i < layers.size(); i++) {
            out = layers.get(i).apply(g, out);
            if (i < layers.size() - 1) {
                out = g.node("LeakyRelu").inputs(out).attr("alpha", GAN_LEAKY_SLOPE).output();
            }
        }
        return out;
    }

    /**
     * A sequence classifier over int64 token ids {@code input [batch, length]}: an embedding of
     * {@code embedding} values per token, an LSTM with {@code hidden} units whose
     * last hidden state feeds a dense layer to {@code classes} logits. Ids must lie in
     * {@code [0, vocabulary)}. The LSTM is time-major (layout 0).
     *
     * @throws IllegalArgumentException if a size is below 1 or {@code classes} is below 2
     */
    public static Model lstmClassifier(int vocabulary, int embedding, int hidden, int length, int classes, long seed) {
        return recurrentClassifier("LSTM", vocabulary, embedding, hidden, length, classes, 0, seed);
    }

    /**
     * As {@link #lstmClassifier}, with a GRU in place of the LSTM.
     *
     * @throws IllegalArgumentException if a size is below 1 or {@code classes} is below 2
     */
    public static Model gruClassifier(int vocabulary, int embedding, int hidden, int length, int classes, long seed) {
        return recurrentClassifier("GRU", vocabulary, embedding, hidden, length, classes, 0, seed);
    }

    /**
     * As {@link #lstmClassifier}, with {@code op} {@code "LSTM"} or {@code "GRU"} and the
     * recurrent node's {@code layout}: 0 time-major (a Transpose before it), 1 batch-first.
     *
     * @throws IllegalArgumentException if the op or layout is neither of those, a size is below
     *     1 or {@code classes} is below 2
     */
    public static Model recurrentClassifier(String op, int vocabulary, int embedding, int hidden, int length,
            int classes, int layout, long seed) {
        requirePositive("vocabulary", vocabulary);
        requirePositive("embedding", embedding);
        requireRecurrent(op, hidden, length, classes, layout);
        GraphBuilder g = GraphBuilder.create(op.toLowerCase(Locale.ROOT) + "_classifier");
        Layers layers = new Layers(g, new Random(seed));
        Value ids = g.input(INPUT, ElementType.INT64, Dim.of(BATCH), Dim.of(length));
        Value state = layers.recurrent(op, layers.embedding(ids, vocabulary, embedding), embedding, hidden, layout);
        output(g, layers.dense(state, hidden, classes, false), classes, LOGITS);
        return finish(g, CLASSIFY);
    }

    /**
     * A classifier of float sequences {@code input [batch, length, features]} (the 8 rows of 8
     * pixels of a digit): an {@code op} ({@code "LSTM"} or {@code "GRU"}) with {@code hidden}
     * units and the given {@code layout} reads the rows, and its last hidden state feeds a dense
     * layer to {@code classes} logits.
     *
     * @throws IllegalArgumentException as {@link #recurrentClassifier}, or if {@code features} is below 1
     */
    public static Model recurrentRowClassifier(String op, int features, int hidden, int length, int classes,
            int layout, long seed) {
        requirePositive("features", features);
        requireRecurrent(op, hidden, length, classes, layout);
        GraphBuilder g = GraphBuilder.create(op.toLowerCase(Locale.ROOT) + "_classifier");
        Layers layers = new Layers(g, new Random(seed));
        Value rows = g.input(INPUT, ElementType.FLOAT, Dim.of(BATCH), Dim.of(length), Dim.of(features));
        Value state = layers.recurrent(op, rows, features, hidden, layout);
        output(g, layers.dense(state, hidden, classes, false), classes, LOGITS);
        return finish(g, CLASSIFY);
    }

    private static void requireRecurrent(String op, int hidden, int length, int classes, int layout) {
        if (!op.equals("LSTM") && !op.equals("GRU")) {
            throw new IllegalArgumentException("a recurrent classifier runs LSTM or GRU, found " + op);
        }
        if (layout != 0 && layout != 1) {
            throw new IllegalArgumentException("a recurrent layout is 0 (time-major) or 1 (batch-first), found " + layout);
        }
        requirePositive("hidden", hidden);
        requirePositive("length", length);
        requireClasses(classes);
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
        output(g, layers.dense(dense, CNN_DENSE_WIDTH, classes, false), classes, LOGITS);
        return finish(g, CLASSIFY);
    }

    /** A dense layer with ReLU per entry of {@code widths}, from {@code x} of width {@code in}. */
    private static Value reluStack(Layers layers, GraphBuilder g, Value x, int in, int[] widths) {
        Value out = x;
        int width = in;
        for (int next : widths) {
            out = g.op("Relu", layers.dense(out, width, next, true));
            width = next;
        }
        return out;
    }

    /** The hidden widths in reverse with ReLU, then a linear layer to {@code outputs} values. */
    private static Value decoder(Layers layers, GraphBuilder g, Value code, int latent, int[] hidden, int outputs) {
        int[] reversed = new int[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            reversed[i] = hidden[hidden.length - 1 - i];
        }
        Value decoded = reluStack(layers, g, code, latent, reversed);
        return layers.dense(decoded, last(latent, reversed), outputs, false);
    }

    /** The width after {@code widths}: the last of them, or {@code in} when there are none. */
    private static int last(int in, int[] widths) {
        return widths.length == 0 ? in : widths[widths.length - 1];
    }

    private static void output(GraphBuilder g, Value value, int width, String name) {
        // Declared so that the model states its interface even to tools that do not infer shapes.
        value.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(Dim.of(BATCH), Dim.of(width))));
        g.output(value, name);
    }

    private static Model finish(GraphBuilder g, String task) {
        Model model = g.toModel(OPSET);
        model.metadataProps().put(TASK, task);
        return model;
    }

    private static void requireCoder(int inputs, int[] hidden, int latent) {
        requirePositive("inputs", inputs);
        requireWidths(hidden);
        requirePositive("latent", latent);
    }

    private static void requireWidths(int[] hidden) {
        for (int width : hidden) {
            requirePositive("hidden layer width", width);
        }
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
