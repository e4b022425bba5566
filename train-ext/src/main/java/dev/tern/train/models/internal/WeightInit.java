package dev.tern.train.models.internal;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;

import java.util.Random;

/** Seeded weight initializations that keep activation variance steady through the layers. */
public final class WeightInit {
    private final Random random;

    public WeightInit(Random random) {
        this.random = random;
    }

    /** Normal with standard deviation sqrt(2 / fanIn) (He et al. 2015), for weights feeding a ReLU. */
    Tensor heNormal(String name, int fanIn, long[] dims) {
        double std = Math.sqrt(2.0 / fanIn);
        float[] values = new float[count(dims)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return Tensor.ofFloats(name, dims, values);
    }

    /** Uniform in +-sqrt(6 / (fanIn + fanOut)) (Glorot and Bengio 2010), for a linear output layer. */
    public Tensor glorotUniform(String name, int fanIn, int fanOut, long[] dims) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] values = new float[count(dims)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return Tensor.ofFloats(name, dims, values);
    }

    /** Standard normal, for embedding tables (each row is one token's starting vector). */
    Tensor standardNormal(String name, long[] dims) {
        float[] values = new float[count(dims)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.ofFloats(name, dims, values);
    }

    public static Tensor zeros(String name, long... dims) {
        return Tensor.zeros(name, ElementType.FLOAT, dims);
    }

    private static int count(long[] dims) {
        long count = 1;
        for (long dim : dims) {
            count *= dim;
        }
        return Math.toIntExact(count);
    }
}
