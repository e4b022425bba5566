package dev.tern.train;

import dev.tern.train.report.EpochStats;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rates after each epoch, worked out by hand from PyTorch's ReduceLROnPlateau rules. */
class ReduceOnPlateauTest {

    private static EpochStats epoch(int number, double trainLoss, double validationLoss, double accuracy) {
        return new EpochStats(number, trainLoss, validationLoss, accuracy, 100, Double.NaN, Double.NaN);
    }

    private static double[] ratesAfter(ReduceOnPlateau schedule, double[] validationLosses) {
        double[] rates = new double[validationLosses.length];
        for (int i = 0; i < validationLosses.length; i++) {
            schedule.onEpoch(epoch(i + 1, 1, validationLosses[i], 0.5));
            rates[i] = schedule.rate(1000L * i);
        }
        return rates;
    }

    @Test
    void reducesAfterPatienceRunsOutThenCoolsDownAndStopsAtTheMinimum() {
        ReduceOnPlateau schedule = ReduceOnPlateau.builder(1.0)
                .factor(0.5).patience(1).cooldown(1).minimumRate(0.2).threshold(0).build();
        double[] losses = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6};
        // Epoch 3 is the second without improvement (patience 1): halve; epoch 4 cools down;
        // 5 and 6 are bad again: halve; 7 improves; 8 and 9 are bad: 0.125, held at 0.2.
        double[] expected = {1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2};
        double[] rates = ratesAfter(schedule, losses);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], rates[i], 1e-15, "after epoch " + (i + 1));
        }
    }

    @Test
    void theRelativeThresholdDecidesWhatCountsAsBetter() {
        ReduceOnPlateau schedule = ReduceOnPlateau.builder(1.0).factor(0.1).patience(0).threshold(0.1).build();
        // 0.95 beats 1.0 by 5% only: not better, so with patience 0 the rate drops at once.
        double[] rates = ratesAfter(schedule, new double[] {1.0, 0.95, 0.8});
        assertEquals(1.0, rates[0], 1e-15);
        assertEquals(0.1, rates[1], 1e-15);
        assertEquals(0.1, rates[2], 1e-15);
    }

    @Test
    void aMonitoredMetricIsFollowedInItsDirectionAndItsAbsenceNamed() {
        String generator = "validation.loss.generator";
        ReduceOnPlateau schedule = ReduceOnPlateau.builder(1.0).monitor(Monitor.validationLoss("generator"))
                .factor(0.5).patience(0).threshold(0).build();
        assertEquals(Monitor.lowest(generator), schedule.monitor().orElseThrow());
        assertTrue(schedule.needsValidation());
        // The fixed validation loss falls throughout; only the generator's metric counts.
        schedule.onEpoch(named(1, 3.0, Map.of(generator, 1.0)));
        schedule.onEpoch(named(2, 2.0, Map.of(generator, 0.8)));
        assertEquals(1.0, schedule.rate(0));
        schedule.onEpoch(named(3, 1.0, Map.of(generator, 0.9)));
        assertEquals(0.5, schedule.rate(0));

        TrainingException missing = assertThrows(TrainingException.class, () ->
                schedule.onEpoch(named(4, 0.5, Map.of("validation.loss.discriminator", 0.7))));
        assertTrue(missing.getMessage().contains("'validation.loss.generator'")
                && missing.getMessage().contains("validation.loss.discriminator"), missing.getMessage());
    }

    private static EpochStats named(int number, double validationLoss, Map<String, Double> metrics) {
        return new EpochStats(number, 1, validationLoss, Double.NaN, 100, Double.NaN, Double.NaN, metrics);
    }

    @Test
    void accuracyIsFollowedUpwards() {
        ReduceOnPlateau schedule = ReduceOnPlateau.builder(1.0).metric(ReduceOnPlateau.Metric.VALIDATION_ACCURACY)
                .factor(0.5).patience(0).threshold(0).build();
        schedule.onEpoch(epoch(1, 1, 1, 0.5));
        schedule.onEpoch(epoch(2, 1, 1, 0.6));
        assertEquals(1.0, schedule.rate(0));
        schedule.onEpoch(epoch(3, 1, 1, 0.55));
        assertEquals(0.5, schedule.rate(0));
    }

    @Test
    void aMinModeOnAccuracyIsHonoured() {
        ReduceOnPlateau schedule = ReduceOnPlateau.builder(1.0).metric(ReduceOnPlateau.Metric.VALIDATION_ACCURACY)
                .mode(ReduceOnPlateau.Mode.MIN).factor(0.5).patience(0).threshold(0).build();
        schedule.onEpoch(epoch(1, 1, 1, 0.5));
        schedule.onEpoch(epoch(2, 1, 1, 0.6));
        assertEquals(0.5, schedule.rate(0));
    }

    @Test
    void restoredStateContinuesExactlyWhereTheSavedOneStood() {
        ReduceOnPlateau original = ReduceOnPlateau.builder(1.0).factor(0.5).patience(1).cooldown(2).build();
        ReduceOnPlateau copy = ReduceOnPlateau.builder(1.0).factor(0.5).patience(1).cooldown(2).build();
        double[] losses = {0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8};
        for (int i = 0; i < 3; i++) {
            original.onEpoch(epoch(i + 1, 1, losses[i], 0.5));
        }
        copy.restore(Map.copyOf(original.state()));
        for (int i = 3; i < losses.length; i++) {
            original.onEpoch(epoch(i + 1, 1, losses[i], 0.5));
            copy.onEpoch(epoch(i + 1, 1, losses[i], 0.5));
            assertEquals(original.rate(0), copy.rate(0), "after epoch " + (i + 1));
        }
        assertEquals(original.state(), copy.state());
        assertTrue(original.rate(0) < 0.5, "the losses should have caused two reductions: " + original);
    }

    @Test
    void aMissingMeasurementIsNamed() {
        ReduceOnPlateau schedule = ReduceOnPlateau.builder(1.0).build();
        TrainingException error = assertThrows(TrainingException.class,
                () -> schedule.onEpoch(epoch(3, 1, Double.NaN, Double.NaN)));
        assertTrue(error.getMessage().contains("validation loss") && error.getMessage().contains("epoch 3"),
                error.getMessage());
        ReduceOnPlateau onTrainingLoss = ReduceOnPlateau.builder(1.0).metric(ReduceOnPlateau.Metric.TRAIN_LOSS).build();
        onTrainingLoss.onEpoch(epoch(1, 0.7, Double.NaN, Double.NaN));
        assertEquals(1.0, onTrainingLoss.rate(0));
    }

    @Test
    void badStateAndOptionsAreRefusedWithTheirValues() {
        ReduceOnPlateau schedule = ReduceOnPlateau.builder(1.0).build();
        assertTrue(assertThrows(TrainingException.class, () -> schedule.restore(Map.of("rate", "0.1")))
                .getMessage().contains("'best'"));
        assertTrue(assertThrows(TrainingException.class, () -> schedule.restore(
                Map.of("rate", "fast", "best", "1", "badEpochs", "0", "cooldownLeft", "0")))
                .getMessage().contains("'fast'"));
        assertTrue(assertThrows(TrainingException.class, () -> schedule.restore(
                Map.of("rate", "0.1", "best", "1", "badEpochs", "1.5", "cooldownLeft", "0")))
                .getMessage().contains("'badEpochs' must be a count of 0 or more, found '1.5'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder(1).factor(1.5))
                .getMessage().contains("1.5"));
        assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder(1).patience(-1));
        assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder(-1));
        assertThrows(IllegalArgumentException.class, () -> ReduceOnPlateau.builder(1).threshold(1));
    }
}
