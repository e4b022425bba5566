package dev.tern.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.train.StepProgress;
import org.junit.jupiter.api.Test;

class FinetuneProgressTest {
    @Test
    void lineShowsEpochStepLossThroughputAndEta() {
        StepProgress progress = new StepProgress(3, 20, 12, 45, 0.123456, 5321.4, 74.6);

        assertEquals("epoch 3/20  step 12/45  loss 0.1235  5321 examples/s  ETA 1:15", FinetuneProgress.text(progress));
    }

    @Test
    void etaOverAnHourShowsHours() {
        StepProgress progress = new StepProgress(1, 2, 1, 10, 1, 1, 3725);

        assertEquals("epoch 1/2  step 1/10  loss 1.0000  1 examples/s  ETA 1:02:05", FinetuneProgress.text(progress));
    }
}
