package dev.tern.compress.quantize.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Percentile and entropy thresholds on distributions whose answer is known. */
class ThresholdsTest {
    /** 100,000 uniform values in [-1, 1] and one outlier at 50. */
    private static Histogram uniformWithOutlier() {
        Random random = new Random(5);
        float[] values = new float[100_001];
        for (int i = 0; i < 100_000; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        values[100_000] = 50f;
        Histogram histogram = new Histogram(50, 2048);
        histogram.add(values);
        return histogram;
    }

    @Test
    void binsAreEqualAndCentredOnZero() {
        Histogram histogram = new Histogram(2, 4);
        histogram.add(new float[] {-2f, -0.5f, 0f, 0.4f, 1.99f, 7f});
        assertArrayEquals(new long[] {1, 1, 2, 2}, new long[] {histogram.count(0), histogram.count(1),
            histogram.count(2), histogram.count(3)});
        assertEquals(-1.0, histogram.edge(1), 1e-12);
        assertEquals(2.0, histogram.edge(4), 1e-12);
    }

    @Test
    void percentileCutsTheOutlierThatMinMaxWouldKeep() {
        float[] symmetric = Thresholds.percentile(uniformWithOutlier(), 99.99, true);
        // 1 lies inside bin 1044 (edges 0.9766 and 1.0254): the threshold is that bin's upper edge.
        assertEquals(1.0254, symmetric[1], 1e-3);
        assertEquals(-symmetric[1], symmetric[0]);
        float[] asymmetric = Thresholds.percentile(uniformWithOutlier(), 99.9, false);
        assertTrue(asymmetric[0] < -0.95 && asymmetric[0] > -1.05, "lower " + asymmetric[0]);
        assertTrue(asymmetric[1] > 0.95 && asymmetric[1] < 1.05, "upper " + asymmetric[1]);
    }

    @Test
    void entropyClipsALongGaussianTailButNotTheBulk() {
        Random random = new Random(9);
        float[] values = new float[200_000];
        float largest = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
            largest = Math.max(largest, Math.abs(values[i]));
        }
        Histogram histogram = new Histogram(largest, 2048);
        histogram.add(values);
        float threshold = Thresholds.entropy(histogram)[1];
        // TensorRT-style calibration of a unit Gaussian lands at a few standard deviations, short of the extreme.
        assertTrue(threshold > 2 && threshold < largest - 0.1, "threshold " + threshold + ", largest " + largest);
    }
}
