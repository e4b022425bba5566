package dev.tern.train;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.Map;
import java.util.Random;

/**
 * A small regression problem with a plain-Java reference: y = x w + b, x [8, 3], w [3, 2],
 * b [2], under mean squared error. The reference computes the loss and the gradients in double
 * precision by hand, independently of the gradient rules.
 */
final class LinearProblem {
    static final int ROWS = 8;
    static final int IN = 3;
    static final int OUT = 2;

    final float[] x = new float[ROWS * IN];
    final float[] target = new float[ROWS * OUT];
    final float[] w = new float[IN * OUT];
    final float[] b = new float[OUT];

    LinearProblem(long seed) {
        Random random = new Random(seed);
        fill(random, x);
        fill(random, target);
        fill(random, w);
        fill(random, b);
    }

    private static void fill(Random random, float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
    }

    Model model() {
        GraphBuilder g = GraphBuilder.create("linear");
        Value input = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(IN));
        Value weight = g.initializer(Tensor.ofFloats("w", new long[] {IN, OUT}, w));
        Value bias = g.initializer(Tensor.ofFloats("b", new long[] {OUT}, b));
        g.output(g.op("Add", g.op("MatMul", input, weight), bias), "y");
        return g.toModel(17);
    }

    Map<String, Tensor> batch() {
        return Map.of("x", Tensor.ofFloats("x", new long[] {ROWS, IN}, x),
                "target", Tensor.ofFloats("target", new long[] {ROWS, OUT}, target));
    }

    /** The gradients of the mean squared error at weights {@code weights} ({w, b} flattened): {dw, db}. */
    double[][] gradients(double[][] weights) {
        double[] dw = new double[IN * OUT];
        double[] db = new double[OUT];
        double scale = 2.0 / (ROWS * OUT);
        for (int row = 0; row < ROWS; row++) {
            for (int o = 0; o < OUT; o++) {
                double y = weights[1][o];
                for (int i = 0; i < IN; i++) {
                    y += x[row * IN + i] * weights[0][i * OUT + o];
                }
                double dy = scale * (y - target[row * OUT + o]);
                db[o] += dy;
                for (int i = 0; i < IN; i++) {
                    dw[i * OUT + o] += x[row * IN + i] * dy;
                }
            }
        }
        return new double[][] {dw, db};
    }

    double[][] initialWeights() {
        return new double[][] {toDoubles(w), toDoubles(b)};
    }

    static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
