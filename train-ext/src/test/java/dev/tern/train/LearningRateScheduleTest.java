package dev.tern.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Schedule values at their defining points, against the formulas of PyTorch's schedulers. */
class LearningRateScheduleTest {
    @Test
    void constantNeverChanges() {
        LearningRateSchedule schedule = LearningRateSchedule.constant(0.3);
        assertEquals(0.3, schedule.rate(0));
        assertEquals(0.3, schedule.rate(1_000_000));
    }

    @Test
    void stepDecayMultipliesByGammaEveryPeriod() {
        LearningRateSchedule schedule = LearningRateSchedule.stepDecay(1.0, 10, 0.5);
        assertEquals(1.0, schedule.rate(9));
        assertEquals(0.5, schedule.rate(10));
        assertEquals(0.25, schedule.rate(29));
    }

    @Test
    void cosineFallsFromInitialToMinimumAndStays() {
        LearningRateSchedule schedule = LearningRateSchedule.cosine(1.0, 100, 0.1);
        assertEquals(1.0, schedule.rate(0), 1e-15);
        assertEquals(0.55, schedule.rate(50), 1e-15);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 0.25)) / 2, schedule.rate(25), 1e-15);
        assertEquals(0.1, schedule.rate(100), 1e-15);
        assertEquals(0.1, schedule.rate(1000), 1e-15);
    }

    @Test
    void warmupRisesLinearlyThenHandsOverAtItsOwnStepZero() {
        LearningRateSchedule schedule = LearningRateSchedule.warmup(4, LearningRateSchedule.stepDecay(1.0, 2, 0.1));
        assertEquals(0.2, schedule.rate(0), 1e-15);
        assertEquals(0.8, schedule.rate(3), 1e-15);
        assertEquals(1.0, schedule.rate(4), 1e-15);
        assertEquals(1.0, schedule.rate(5), 1e-15);
        assertEquals(0.1, schedule.rate(6), 1e-15);
    }

    @Test
    void exponentialMultipliesByGammaOverEveryPeriodSmoothly() {
        LearningRateSchedule schedule = LearningRateSchedule.exponential(2.0, 0.5, 10);
        assertEquals(2.0, schedule.rate(0), 1e-15);
        assertEquals(2.0 * Math.sqrt(0.5), schedule.rate(5), 1e-15);
        assertEquals(1.0, schedule.rate(10), 1e-15);
        assertEquals(0.25, schedule.rate(30), 1e-15);
    }

    @Test
    void linearFallsInAStraightLineThenStays() {
        LearningRateSchedule schedule = LearningRateSchedule.linear(1.0, 10, 0.1);
        assertEquals(1.0, schedule.rate(0), 1e-15);
        assertEquals(0.55, schedule.rate(5), 1e-15);
        assertEquals(0.91, schedule.rate(1), 1e-15);
        assertEquals(0.1, schedule.rate(10), 1e-15);
        assertEquals(0.1, schedule.rate(500), 1e-15);
    }

    /** Expected values from PyTorch's OneCycleLR formulas (max_lr 1, total_steps 100, defaults) evaluated in Python. */
    @Test
    void oneCycleRisesToThePeakThenFallsFarBelowItsStart() {
        LearningRateSchedule schedule = LearningRateSchedule.oneCycle(1.0, 100);
        assertEquals(0.04, schedule.rate(0), 1e-12);
        assertEquals(0.29516394846410077, schedule.rate(10), 1e-12);
        assertEquals(1.0, schedule.rate(29), 1e-12);
        assertEquals(0.9994965352845243, schedule.rate(30), 1e-12);
        assertEquals(0.500002, schedule.rate(64), 1e-12);
        assertEquals(4e-6, schedule.rate(99), 1e-15);
        assertEquals(4e-6, schedule.rate(1000), 1e-15);
    }

    @Test
    void oneCycleWithItsPeakAtTheFirstStepOnlyFalls() {
        LearningRateSchedule schedule = LearningRateSchedule.oneCycle(1.0, 10, 0.1, 10, 10);
        assertEquals(1.0, schedule.rate(0), 1e-15);
        assertEquals(0.01, schedule.rate(9), 1e-15);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmup(-1, step -> 1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(1, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.linear(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.oneCycle(1, 1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.oneCycle(1, 100, 1.0, 25, 1e4));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.oneCycle(1, 100, 0.3, 0.5, 1e4));
    }
}
