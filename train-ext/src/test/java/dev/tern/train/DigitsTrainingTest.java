package dev.tern.train;

import dev.tern.exec.SessionConfig;
import dev.tern.ir.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** An MLP 64-128-10 trained from scratch on the digits: the end-to-end check of loss, backward and update in one graph. */
class DigitsTrainingTest extends RuntimeExtension {
    private static final int BATCH = 64;
    private static final int EPOCHS = 20;

    @Test
    void mlpReachesNinetySevenPercentOnTheValidationSplit() {
        Digits digits = Digits.load();
        // 20% of the rows, shuffled with seed 7, are held out for validation (359 rows).
        List<List<Integer>> split = digits.split(0.2, 7);
        List<Integer> training = new ArrayList<>(split.get(0));
        List<Integer> validation = split.get(1);
        int stepsPerEpoch = (training.size() + BATCH - 1) / BATCH;
        Random shuffle = new Random(11);
        try (TrainingSession session = TrainingSession.builder(Mlps.mlp(3, Digits.FEATURES, 128, Digits.CLASSES), "logits")
                .loss(Loss.crossEntropy())
                .trainable(Mlps.WEIGHTS)
                .optimizer(Optimizer.adamW(1e-4))
                .schedule(LearningRateSchedule.warmup(20, LearningRateSchedule.cosine(1e-2, EPOCHS * stepsPerEpoch, 1e-4)))
                .sessionConfig(SessionConfig.builder().intraOpThreads(1).build())
                .build(runtime)) {
            double firstLoss = Double.NaN;
            double lastLoss = Double.NaN;
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                Collections.shuffle(training, shuffle);
                for (int from = 0; from < training.size(); from += BATCH) {
                    StepResult result = session.step(digits.batch(training, from, Math.min(from + BATCH, training.size())));
                    firstLoss = Double.isNaN(firstLoss) ? result.loss() : firstLoss;
                    lastLoss = result.loss();
                }
            }
            Map<String, Tensor> held = digits.batch(validation, 0, validation.size());
            Evaluation evaluation = session.evaluate(held);
            long[] predicted = Mlps.argmax(evaluation.prediction());
            long[] labels = held.get("target").toLongArray();
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                correct += predicted[i] == labels[i] ? 1 : 0;
            }
            double accuracy = (double) correct / labels.length;
            assertTrue(lastLoss < firstLoss / 10, "training loss fell from " + firstLoss + " to " + lastLoss);
            assertTrue(accuracy >= 0.97, "validation accuracy " + accuracy + " (" + correct + "/" + labels.length
                    + "), validation loss " + evaluation.loss());
        }
    }
}
