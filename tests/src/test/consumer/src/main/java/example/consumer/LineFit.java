package example.consumer;

import dev.tern.exec.CompiledModel;
import dev.tern.exec.Runtime;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.Loss;
import dev.tern.train.Optimizer;
import dev.tern.train.TrainingSession;

import java.util.List;
import java.util.Map;

/**
 * Fits the line y = 2x + 1 by fine-tuning a linear ONNX model with Tern: the model is
 * {@code y = x * w + b}, with {@code w = 0.5} and {@code b = 0} to begin with.
 */
public final class LineFit {
    /** The points the line is fitted to. */
    public static final float[] X = {-1, -0.5f, 0, 0.5f, 1, 1.5f, 2, 2.5f};

    private static final String INPUT = "x";
    private static final String OUTPUT = "y";
    private static final long[] COLUMN = {X.length, 1};

    private LineFit() {
    }

    /** The model before training, as an application would build or download it. */
    public static Model untrained() {
        GraphBuilder g = GraphBuilder.create("line");
        Value x = g.input(INPUT, ElementType.FLOAT, Dim.of("batch"), Dim.of(1));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {1, 1}, 0.5f));
        Value b = g.initializer(Tensor.ofFloats("b", new long[] {1}, 0f));
        g.output(g.op("Add", g.op("MatMul", x, w), b), OUTPUT);
        return g.toModel(17);
    }

    /** The line's value at each of {@link #X}. */
    public static float[] line() {
        float[] y = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            y[i] = 2 * X[i] + 1;
        }
        return y;
    }

    /** Runs {@code model} on {@link #X} through ONNX Runtime. */
    public static float[] predict(Runtime runtime, Model model) {
        try (CompiledModel compiled = runtime.compile(model)) {
            return compiled.run(Map.of(INPUT, input())).get(OUTPUT).toFloatArray();
        }
    }

    /**
     * Trains {@code w} and {@code b} for {@code steps} steps of plain SGD on the mean squared
     * distance to the line.
     */
    public static Fit fineTune(Runtime runtime, Model model, int steps) {
        Map<String, Tensor> batch = Map.of(INPUT, input(), "target", Tensor.ofFloats("target", COLUMN, line()));
        double[] losses = new double[steps];
        try (TrainingSession session = TrainingSession.builder(model, OUTPUT)
                .loss(Loss.meanSquaredError())
                .trainable(List.of("w", "b"))
                .optimizer(Optimizer.sgd())
                .schedule(LearningRateSchedule.constant(0.1))
                .build(runtime)) {
            for (int step = 0; step < steps; step++) {
                losses[step] = session.step(batch).loss();
            }
            return new Fit(losses, session.exportModel());
        }
    }

    private static Tensor input() {
        return Tensor.ofFloats(INPUT, COLUMN, X);
    }

    /**
     * The outcome of {@link #fineTune}.
     *
     * @param losses the loss of every step, before its update
     * @param tuned the trained model, an inference model with the original interface
     */
    public record Fit(double[] losses, Model tuned) {
    }
}
