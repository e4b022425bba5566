package dev.tern.bench;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;

import java.util.List;
import java.util.Random;

/**
 * The GAN that {@link FamilyStepBenchmark} times, as one graph for two parameter groups (the
 * layout of train-ext's GAN on digits): the generator G: {@code z [batch, 16]} -> 128 (ReLU) ->
 * 64 (sigmoid), output {@code fake}; the discriminator D: 64 -> 128 (LeakyReLU 0.2) -> 1 logit,
 * applied with the same weights to the input {@code real} (output {@code d_real}) and to G's
 * output ({@code d_fake}). Weights are uniform in {@code +-1/sqrt(fan-in)}, as PyTorch's
 * {@code nn.Linear}.
 */
final class GanGraph {
    static final int NOISE = 16;
    static final int FEATURES = 64;
    static final List<String> GENERATOR = List.of("g1.w", "g1.b", "g2.w", "g2.b");
    static final List<String> DISCRIMINATOR = List.of("d1.w", "d1.b", "d2.w", "d2.b");
    private static final int HIDDEN = 128;

    private GanGraph() {
    }

    static Model build(long seed) {
        Random random = new Random(seed);
        GraphBuilder g = GraphBuilder.create("gan");
        Value z = g.input("z", ElementType.FLOAT, Dim.of("batch"), Dim.of(NOISE));
        Value real = g.input("real", ElementType.FLOAT, Dim.of("batch"), Dim.of(FEATURES));
        Value hidden = g.op("Relu", dense(g, linear(g, random, "g1", NOISE, HIDDEN), z));
        Value fake = g.op("Sigmoid", dense(g, linear(g, random, "g2", HIDDEN, FEATURES), hidden));
        fake.rename("fake");
        Value[] first = linear(g, random, "d1", FEATURES, HIDDEN);
        Value[] second = linear(g, random, "d2", HIDDEN, 1);
        g.output(discriminate(g, first, second, real), "d_real");
        g.output(discriminate(g, first, second, fake), "d_fake");
        g.output(fake);
        return g.toModel(17);
    }

    /** D(x): the same two layers' initializers on every use. */
    private static Value discriminate(GraphBuilder g, Value[] first, Value[] second, Value x) {
        Value hidden = g.node("LeakyRelu").inputs(dense(g, first, x)).attr("alpha", 0.2f).output();
        return dense(g, second, hidden);
    }

    private static Value dense(GraphBuilder g, Value[] weightAndBias, Value x) {
        return g.op("Add", g.op("MatMul", x, weightAndBias[0]), weightAndBias[1]);
    }

    /** The initializers {@code <name>.w [in, out]} and {@code <name>.b [out]}. */
    private static Value[] linear(GraphBuilder g, Random random, String name, int in, int out) {
        float bound = (float) (1 / Math.sqrt(in));
        return new Value[] {
            g.initializer(uniform(name + ".w", random, bound, in, out)),
            g.initializer(uniform(name + ".b", random, bound, out))};
    }

    private static Tensor uniform(String name, Random random, float bound, long... dims) {
        long count = 1;
        for (long dim : dims) {
            count *= dim;
        }
        float[] values = new float[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return Tensor.ofFloats(name, dims, values);
    }
}
