package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.train.LearningRateSchedule;
import dev.tern.train.ReduceOnPlateau;
import dev.tern.train.report.EpochStats;
import org.junit.jupiter.api.Test;

/** {@code --schedule} specs: a run of 4 epochs of 10 steps from rate 1, unless said otherwise. */
class TrainingRecipeScheduleTest {

    private static LearningRateSchedule schedule(String spec) {
        return TrainingRecipe.schedule(spec, 1.0, 4, 10, true);
    }

    @Test
    void exponentialEndsAtOnePercentByDefaultOrFollowsGammaPerEpoch() {
        assertEquals(0.01, schedule("exponential").rate(40), 1e-12);
        assertEquals(0.5, schedule("exponential:gamma=0.5").rate(10), 1e-12);
        assertEquals(Math.sqrt(0.5), schedule("exponential:gamma=0.5").rate(5), 1e-12);
    }

    @Test
    void linearFallsToItsEndOverTheRun() {
        assertEquals(0.5, schedule("linear").rate(20), 1e-12);
        assertEquals(0.1, schedule("linear:end=0.1").rate(40), 1e-12);
    }

    @Test
    void oneCyclePeaksAtTheGivenRate() {
        LearningRateSchedule defaults = schedule("one-cycle");
        assertEquals(0.04, defaults.rate(0), 1e-12);
        assertEquals(1.0, defaults.rate(11), 1e-12);
        LearningRateSchedule custom = schedule("one-cycle:warmup=0.5,div=10,final-div=100");
        assertEquals(0.1, custom.rate(0), 1e-12);
        assertEquals(1.0, custom.rate(19), 1e-12);
        assertEquals(0.001, custom.rate(39), 1e-12);
    }

    @Test
    void plateauTakesEverySetting() {
        ReduceOnPlateau plateau = assertInstanceOf(ReduceOnPlateau.class, schedule(
                "plateau:factor=0.5,patience=0,cooldown=1,min=0.3,threshold=0,metric=accuracy,mode=max"));
        assertEquals("ReduceOnPlateau[validation accuracy, MAX, factor 0.5, patience 0, cooldown 1, minimum rate 0.3, "
                + "threshold 0.0, rate now 1.0]", plateau.toString());
        plateau.onEpoch(new EpochStats(1, 1, 1, 0.5, 1, Double.NaN, Double.NaN));
        plateau.onEpoch(new EpochStats(2, 1, 1, 0.4, 1, Double.NaN, Double.NaN));
        assertEquals(0.5, plateau.rate(0));
    }

    @Test
    void plateauOnTheTrainingLossNeedsNoValidation() {
        assertInstanceOf(ReduceOnPlateau.class, TrainingRecipe.schedule("plateau:metric=train-loss", 1, 4, 10, false));
        CliFailure refused = assertThrows(CliFailure.class, () -> TrainingRecipe.schedule("plateau", 1, 4, 10, false));
        assertTrue(refused.getMessage().contains("metric=train-loss"), refused.getMessage());
    }

    @Test
    void badSpecsNameTheScheduleKeyAndValue() {
        assertEquals("--schedule: unknown 'cyclic', expected one of constant, step, cosine, warmup-cosine, exponential, "
                + "linear, one-cycle, plateau", message("cyclic"));
        assertEquals("--schedule cosine: unknown setting 'end', expected none", message("cosine:end=0"));
        assertEquals("--schedule linear: end=zero is not a number", message("linear:end=zero"));
        assertEquals("--schedule plateau: mode=up is not one of min, max", message("plateau:mode=up"));
        assertEquals("--schedule plateau: 'factor' needs a value, as in factor=1", message("plateau:factor"));
        assertEquals("--schedule plateau: 'factor' is given twice", message("plateau:factor=0.5,factor=0.2"));
        assertTrue(message("exponential:gamma=-1").startsWith("--schedule exponential:gamma=-1: "),
                message("exponential:gamma=-1"));
        assertTrue(message("one-cycle:warmup=1").contains("found 1.0"), message("one-cycle:warmup=1"));
    }

    private static String message(String spec) {
        return assertThrows(CliFailure.class, () -> schedule(spec)).getMessage();
    }
}
