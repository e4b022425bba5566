package dev.tern.train.data;

import dev.tern.train.data.internal.BetaSampler;
import dev.tern.train.data.internal.Permutations;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Mixup (Zhang et al., 2018): each batch is blended with a shuffled copy of itself, example
 * {@code i} becoming {@code w x[i] + (1 - w) x[p(i)]} and its label
 * {@code w y[i] + (1 - w) y[p(i)]}, with one weight {@code w ~ Beta(alpha, alpha)} per batch
 * and {@code p} a random permutation of the batch, as in the authors' code. Labels must be
 * float rows (one-hot class labels or targets), so a class-label model trains with
 * {@link dev.tern.train.Loss#softCrossEntropy()}. Set it with
 * {@link BatchLoader.Builder#mixup}. Immutable and thread-safe.
 */
public final class Mixup {
    private final double alpha;

    /**
     * Mixing weights drawn from Beta({@code alpha}, {@code alpha}): small alphas keep most
     * examples nearly whole, alpha 1 draws the weight uniformly.
     *
     * @throws DatasetException if {@code alpha} is not above 0 or not finite
     */
    public Mixup(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new DatasetException("mixup alpha must be finite and above 0, found " + alpha);
        }
        this.alpha = alpha;
    }

    /**
     * Blends the first {@code count} examples of a batch in place: their features,
     * {@code featureSize} floats each in {@code features}, and their labels,
     * {@code labelSize} floats each in {@code labels}.
     *
     * @return the weight {@code w} of each example's own values
     */
    public double mix(float[] features, int featureSize, float[] labels, int labelSize, int count, Random random) {
        double weight = BetaSampler.sample(alpha, alpha, random);
        int[] partner = Permutations.shuffle(IntStream.range(0, count).toArray(), random);
        blend(features, featureSize, count, partner, (float) weight);
        blend(labels, labelSize, count, partner, (float) weight);
        return weight;
    }

    private static void blend(float[] rows, int rowSize, int count, int[] partner, float weight) {
        float[] original = Arrays.copyOf(rows, count * rowSize);
        for (int i = 0; i < count; i++) {
            int own = i * rowSize;
            int other = partner[i] * rowSize;
            for (int k = 0; k < rowSize; k++) {
                rows[own + k] = weight * original[own + k] + (1 - weight) * original[other + k];
            }
        }
    }

    @Override
    public String toString() {
        return "Mixup[alpha " + alpha + "]";
    }
}
