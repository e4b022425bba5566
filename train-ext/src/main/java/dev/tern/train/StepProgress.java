package dev.tern.train;

/**
 * Where a {@link Trainer} stands after one step.
 *
 * @param epoch the current epoch, from 1
 * @param epochs the number of epochs asked for
 * @param batch the batch just trained in this epoch, from 1
 * @param batches the number of batches per epoch
 * @param meanLoss the mean training loss over the epoch so far, weighted by batch size
 * @param examplesPerSecond training throughput over the epoch so far
 * @param secondsRemaining the estimated training time left for the remaining epochs, at the
 *     current epoch's pace (validation time not counted)
 */
public record StepProgress(int epoch, int epochs, int batch, int batches, double meanLoss,
                           double examplesPerSecond, double secondsRemaining) {
}
