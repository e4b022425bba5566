package dev.tern.train;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Model;
import dev.tern.train.data.BatchLoader;
import dev.tern.train.data.CsvDatasetReader;
import dev.tern.train.data.Dataset;
import dev.tern.train.data.Mixup;
import dev.tern.train.data.Normalization;
import dev.tern.train.data.RandomAffine;
import dev.tern.train.data.RandomErasing;
import dev.tern.train.data.Split;
import dev.tern.train.models.ModelTemplates;
import dev.tern.train.report.EpochStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CNN template trained on the digits as 1x8x8 images (20% stratified validation split,
 * seed 5), once plainly and once with rotation up to 15 degrees, scaling by 0.9 to 1.1,
 * erasing with probability 0.25 and mixup with alpha 0.2; one ONNX Runtime thread, so both
 * runs repeat bit for bit. The augmented run must learn as well, within noise: 359
 * validation images make one image 0.28%.
 */
class DigitsAugmentationTest extends RuntimeExtension {
    private static final int EPOCHS = 12;
    private static final int BATCH = 64;
    private static final double RATE = 3e-3;

    private static Split digits;

    @BeforeAll
    static void readDigits() throws IOException {
        Dataset all = CsvDatasetReader.of(DataSets.file("digits.csv"), "label").featureShape(1, 8, 8).read();
        digits = all.splitStratified(0.2, 5);
    }

    @Test
    void cnnWithRotationScalingErasingAndMixupLearnsAsWellAsWithout() {
        EpochStats plain = lastEpoch(Loss.crossEntropy(), trainBatches().build(), false);

        BatchLoader augmented = trainBatches()
                .augmentations(12, RandomAffine.builder().rotation(15).scale(0.9, 1.1).build(), new RandomErasing(0.25))
                .mixup(13, new Mixup(0.2))
                .build();
        EpochStats mixed = lastEpoch(Loss.softCrossEntropy(), augmented, true);

        String both = "after " + EPOCHS + " epochs, plain: " + plain + "; augmented: " + mixed;
        System.out.println(both);
        assertTrue(plain.validationAccuracy() >= 0.95, both);
        assertTrue(mixed.validationAccuracy() >= plain.validationAccuracy() - 0.02, both);
        // Blended images with blended labels are harder to fit: proof that the augmentations were applied.
        assertTrue(mixed.trainLoss() > 2 * plain.trainLoss(), both);
    }

    private static BatchLoader.Builder trainBatches() {
        return BatchLoader.builder(digits.train(), BATCH).shuffle(11).normalization(Normalization.divideBy(16));
    }

    private EpochStats lastEpoch(Loss loss, BatchLoader train, boolean oneHotValidation) {
        BatchLoader.Builder validation = BatchLoader.builder(digits.validation(), 256).normalization(Normalization.divideBy(16));
        if (oneHotValidation) {
            validation.oneHotLabels();
        }
        Model cnn = ModelTemplates.cnn(1, 8, 8, 10, 3);
        try (TrainingSession session = TrainingSession.builder(cnn, ModelTemplates.LOGITS)
                .loss(loss)
                .trainable(List.copyOf(cnn.graph().initializers().keySet()))
                .optimizer(Optimizer.adam())
                .schedule(LearningRateSchedule.cosine(RATE, (long) EPOCHS * train.batchCount(), 0))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime)) {
            TrainingOutcome outcome = Trainer.builder(session, train.feeding(ModelTemplates.INPUT))
                    .validation(validation.build().feeding(ModelTemplates.INPUT))
                    .epochs(EPOCHS)
                    .build()
                    .fit();
            return outcome.history().epochs().get(EPOCHS - 1);
        }
    }
}
