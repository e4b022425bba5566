package dev.tern.train.data;

import dev.tern.ir.ElementType;
import dev.tern.ir.Tensor;
import dev.tern.train.data.internal.BetaSampler;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixupTest {

    /** Beta(a, a) has mean 1/2 and variance 1 / (4 (2a + 1)); 20,000 draws pin both to about 0.005. */
    @Test
    void betaDrawsHaveTheDistributionsMeanAndVariance() {
        for (double alpha : new double[] {0.2, 1, 4}) {
            Random random = new Random(11);
            int draws = 20_000;
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < draws; i++) {
                double w = BetaSampler.sample(alpha, alpha, random);
                assertTrue(w >= 0 && w <= 1, "draw " + w + " for alpha " + alpha);
                sum += w;
                squares += w * w;
            }
            double mean = sum / draws;
            double variance = squares / draws - mean * mean;
            assertEquals(0.5, mean, 0.01, "mean for alpha " + alpha);
            assertEquals(1 / (4 * (2 * alpha + 1)), variance, 0.005, "variance for alpha " + alpha);
        }
    }

    @Test
    void tinyAlphasGiveWeightsNearZeroOrOneRatherThanNaN() {
        Random random = new Random(3);
        for (int i = 0; i < 1000; i++) {
            double w = BetaSampler.sample(0.005, 0.005, random);
            assertTrue(w >= 0 && w <= 1, "draw " + w);
        }
    }

    @Test
    void eachExampleBlendsWithOnePartnerAndItsLabelWeightsSumToOne() {
        int count = 5;
        int featureSize = 3;
        int classes = 4;
        float[] features = new float[count * featureSize];
        float[] labels = new float[count * classes];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < featureSize; k++) {
                features[i * featureSize + k] = 10 * i + k;
            }
            labels[i * classes + i % classes] = 1;
        }
        float[] originalFeatures = features.clone();
        float[] originalLabels = labels.clone();

        double w = new Mixup(0.4).mix(features, featureSize, labels, classes, count, new Random(5));

        boolean[] partnerTaken = new boolean[count];
        for (int i = 0; i < count; i++) {
            int partner = partnerOf(i, w, features, originalFeatures, featureSize);
            assertFalse(partnerTaken[partner], "partners form a permutation");
            partnerTaken[partner] = true;
            double labelSum = 0;
            for (int c = 0; c < classes; c++) {
                float expected = (float) (w * originalLabels[i * classes + c] + (1 - w) * originalLabels[partner * classes + c]);
                assertEquals(expected, labels[i * classes + c], 1e-6f, "label of example " + i);
                labelSum += labels[i * classes + c];
            }
            assertEquals(1, labelSum, 1e-6, "example " + i + "'s label weights");
        }
    }

    /** The j with features[i] == w x[i] + (1 - w) x[j]; fails if there is none. */
    private static int partnerOf(int i, double w, float[] mixed, float[] original, int size) {
        for (int j = 0; j < original.length / size; j++) {
            boolean matches = true;
            for (int k = 0; k < size; k++) {
                double expected = w * original[i * size + k] + (1 - w) * original[j * size + k];
                matches &= Math.abs(mixed[i * size + k] - expected) < 1e-4;
            }
            if (matches) {
                return j;
            }
        }
        throw new AssertionError("example " + i + " is no blend of itself with another example at weight " + w);
    }

    private static Dataset fourImages() {
        float[] pixels = new float[4 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        return Dataset.ofClassLabels(pixels, new long[] {1, 2, 2}, new long[] {0, 1, 2, 1}, List.of("a", "b", "c"));
    }

    @Test
    void oneHotLabelsAreFloatRowsOfTheClasses() {
        Batch batch = BatchLoader.builder(fourImages(), 4).oneHotLabels().build().epoch(0).iterator().next();

        assertEquals(ElementType.FLOAT, batch.labels().elementType());
        assertArrayEquals(new long[] {4, 3}, batch.labels().dims());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0}, batch.labels().toFloatArray());
    }

    @Test
    void mixedBatchesAreReproducibleBySeedAndEpoch() {
        float[] first = mixedBatch(7, 0);
        assertArrayEquals(first, mixedBatch(7, 0));
        assertFalse(Arrays.equals(first, mixedBatch(8, 0)));
        assertFalse(Arrays.equals(first, mixedBatch(7, 1)));
        Tensor labels = BatchLoader.builder(fourImages(), 4).mixup(7, new Mixup(1)).build()
                .epoch(0).iterator().next().labels();
        assertArrayEquals(new long[] {4, 3}, labels.dims());
        float[] rows = labels.toFloatArray();
        for (int row = 0; row < 4; row++) {
            assertEquals(1, rows[3 * row] + rows[3 * row + 1] + rows[3 * row + 2], 1e-6, "row " + row);
        }
    }

    private static float[] mixedBatch(long seed, long epoch) {
        return BatchLoader.builder(fourImages(), 4).mixup(seed, new Mixup(1)).build()
                .epoch(epoch).iterator().next().features().toFloatArray();
    }

    @Test
    void badAlphasAreRefused() {
        assertTrue(assertThrows(DatasetException.class, () -> new Mixup(0)).getMessage().contains("found 0.0"));
        assertThrows(DatasetException.class, () -> new Mixup(Double.POSITIVE_INFINITY));
    }
}
