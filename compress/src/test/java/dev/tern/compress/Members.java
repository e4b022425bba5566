package dev.tern.compress;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

/** Small classifiers built in code whose outputs a test can compute by hand. */
final class Members {
    static final long OPSET = 17;

    private Members() {
    }

    /** logits = x * scale (per class), input x [batch, classes]. */
    static Model scaling(String name, float... scale) {
        GraphBuilder g = GraphBuilder.create(name);
        Value x = g.input("x", ElementType.FLOAT, new Dim.Symbolic("batch"), new Dim.Known(scale.length));
        Value weights = g.initializer("scale", Tensor.ofFloats("scale", new long[] {scale.length}, scale));
        g.output(g.op("Mul", x, weights), "logits");
        return g.toModel(OPSET);
    }

    /** probabilities = Softmax(x * scale), input x [batch, classes]. */
    static Model scalingWithSoftmax(String name, float... scale) {
        GraphBuilder g = GraphBuilder.create(name);
        Value x = g.input("x", ElementType.FLOAT, new Dim.Symbolic("batch"), new Dim.Known(scale.length));
        Value weights = g.initializer("scale", Tensor.ofFloats("scale", new long[] {scale.length}, scale));
        Value logits = g.op("Mul", x, weights);
        g.output(g.node("Softmax").attr("axis", -1L).inputs(logits).output(), "probabilities");
        return g.toModel(OPSET);
    }

    /** logits = Flatten(x) * scale for an image input x [batch, 1, 2, 2]: four classes. */
    static Model imageScaling(String name, float... scale) {
        GraphBuilder g = GraphBuilder.create(name);
        Value x = g.input("x", ElementType.FLOAT, new Dim.Symbolic("batch"), new Dim.Known(1), new Dim.Known(2),
                new Dim.Known(2));
        Value flat = g.node("Flatten").attr("axis", 1L).inputs(x).output();
        Value weights = g.initializer("scale", Tensor.ofFloats("scale", new long[] {scale.length}, scale));
        g.output(g.op("Mul", flat, weights), "logits");
        return g.toModel(OPSET);
    }

    /** Softmax over each row of {@code logits} [rows, classes], in double precision. */
    static double[] softmaxRows(float[] logits, int classes) {
        double[] probabilities = new double[logits.length];
        for (int row = 0; row < logits.length / classes; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                probabilities[row * classes + c] = Math.exp(logits[row * classes + c] - max);
                sum += probabilities[row * classes + c];
            }
            for (int c = 0; c < classes; c++) {
                probabilities[row * classes + c] /= sum;
            }
        }
        return probabilities;
    }

    /** {@code x * scale} row by row. */
    static float[] scaled(float[] x, float[] scale) {
        float[] logits = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            logits[i] = x[i] * scale[i % scale.length];
        }
        return logits;
    }
}
