package dev.tern.train.data.internal;

import java.util.Random;

/**
 * Draws from the Beta distribution as {@code X / (X + Y)} with {@code X ~ Gamma(a)} and
 * {@code Y ~ Gamma(b)}, each drawn by Marsaglia and Tsang's method (with the
 * {@code U^(1/shape)} boost for shapes below 1). The gamma draws are kept as logarithms so
 * that small shapes, whose draws underflow a double, still give a weight near 0 or 1 rather
 * than 0 / 0.
 */
public final class BetaSampler {
    private BetaSampler() {
    }

    /** One draw from Beta({@code a}, {@code b}); both shapes must be above 0. */
    public static double sample(double a, double b, Random random) {
        double logX = logGamma(a, random);
        double logY = logGamma(b, random);
        return 1 / (1 + Math.exp(logY - logX));
    }

    private static double logGamma(double shape, Random random) {
        if (shape < 1) {
            return logGamma(shape + 1, random) + Math.log(random.nextDouble()) / shape;
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return Math.log(d * v);
            }
        }
    }
}
