package dev.tern.train.internal;

import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationCountsTest {
    private static final Tensor SCORES = Tensor.ofFloats("scores", new long[] {3, 3},
            0.1f, 2, 0.3f,
            5, 1, 1,
            0, 0, 4);

    @Test
    void classIndicesAndOneHotRowsCountTheSameAnswers() {
        Tensor indices = Tensor.ofLongs("labels", new long[] {3}, 1, 2, 2);
        Tensor oneHot = Tensor.ofFloats("labels", new long[] {3, 3}, 0, 1, 0, 0, 0, 1, 0, 0, 1);

        assertTrue(ClassificationCounts.applies(SCORES, indices));
        assertTrue(ClassificationCounts.applies(SCORES, oneHot));
        assertEquals(2, ClassificationCounts.correct(SCORES, indices));
        assertEquals(2, ClassificationCounts.correct(SCORES, oneHot));
    }

    @Test
    void mixedRowsCountTheirLargestClass() {
        Tensor mixed = Tensor.ofFloats("labels", new long[] {3, 3}, 0.3f, 0.7f, 0, 0.6f, 0, 0.4f, 0, 0.5f, 0.5f);
        assertTrue(ClassificationCounts.applies(SCORES, mixed));
        // Row 3's tie goes to the lower class, 1, which the scores do not pick.
        assertEquals(2, ClassificationCounts.correct(SCORES, mixed));
    }

    @Test
    void floatRowsThatAreNotDistributionsAreRegressionTargets() {
        assertFalse(ClassificationCounts.applies(SCORES, Tensor.ofFloats("t", new long[] {3, 3},
                0, 2, 0, 0, 0, 1, 0, 0, 1)));
        assertFalse(ClassificationCounts.applies(SCORES, Tensor.ofFloats("t", new long[] {3, 3},
                -1, 2, 0, 0, 0, 1, 0, 0, 1)));
    }
}
