package dev.tern.spark;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.onnx.OnnxExporter;

/**
 * A small model built in code: {@code y = 2x + 1} over {@code x: float[batch, 3]}, and
 * {@code run_size: float[batch, 3]}, every element the number of rows in the run, which shows
 * how rows were batched.
 */
final class AffineModel {
    static final int WIDTH = 3;

    private AffineModel() {
    }

    static Model model() {
        GraphBuilder g = GraphBuilder.create("affine");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(WIDTH));
        Value two = g.initializer(Tensor.ofFloats("two", new long[0], 2f));
        Value one = g.initializer(Tensor.ofFloats("one", new long[0], 1f));
        Value zero = g.initializer(Tensor.ofFloats("zero", new long[0], 0f));
        Value batchAxis = g.initializer(Tensor.ofLongs("batch_axis", new long[] {1}, 0L));
        g.output(g.op("Add", g.op("Mul", x, two), one), "y");
        Value ones = g.op("Add", g.op("Mul", x, zero), one);
        Value count = g.node("ReduceSum").inputs(ones, batchAxis).attr("keepdims", 1L).output();
        g.output(g.op("Add", g.op("Mul", x, zero), count), "run_size");
        return g.toModel(18);
    }

    static byte[] bytes() {
        return OnnxExporter.toBytes(model());
    }

    /** What the model gives for one row. */
    static float[] expected(double... x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * (float) x[i] + 1;
        }
        return y;
    }
}
