package dev.tern.train;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.List;
import java.util.Random;

/** Fresh multilayer perceptrons built with GraphBuilder: x [batch, in] -> Relu hidden layer -> logits [batch, out]. */
final class Mlps {
    static final List<String> WEIGHTS = List.of("w1", "b1", "w2", "b2");

    private Mlps() {
    }

    /** Weights drawn uniformly in +-1/sqrt(fan in), PyTorch's default for Linear layers. */
    static Model mlp(long seed, int in, int hidden, int out) {
        Random random = new Random(seed);
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.FLOAT, Dim.of("batch"), Dim.of(in));
        Value w1 = g.initializer(uniform("w1", random, in, in, hidden));
        Value b1 = g.initializer(uniform("b1", random, in, hidden));
        Value w2 = g.initializer(uniform("w2", random, hidden, hidden, out));
        Value b2 = g.initializer(uniform("b2", random, hidden, out));
        Value h = g.op("Relu", g.op("Add", g.op("MatMul", x, w1), b1));
        g.output(g.op("Add", g.op("MatMul", h, w2), b2), "logits");
        return g.toModel(17);
    }

    static Tensor uniform(String name, Random random, int fanIn, long... dims) {
        int count = 1;
        for (long dim : dims) {
            count *= (int) dim;
        }
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return Tensor.ofFloats(name, dims, values);
    }

    /** The index of the largest logit in each row of {@code logits} [n, classes]. */
    static long[] argmax(Tensor logits) {
        int rows = (int) logits.dims()[0];
        int classes = (int) logits.dims()[1];
        float[] values = logits.toFloatArray();
        long[] best = new long[rows];
        for (int row = 0; row < rows; row++) {
            for (int c = 1; c < classes; c++) {
                if (values[row * classes + c] > values[row * classes + (int) best[row]]) {
                    best[row] = c;
                }
            }
        }
        return best;
    }
}
