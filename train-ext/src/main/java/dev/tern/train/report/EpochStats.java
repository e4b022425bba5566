package dev.tern.train.report;

/**
 * What one training epoch measured. A run without validation data gives {@link Double#NaN}
 * for the validation fields; charts and tables leave NaN values out.
 *
 * @param epoch the epoch number, from 1
 * @param trainLoss the mean training loss over the epoch
 * @param validationLoss the mean validation loss after the epoch
 * @param validationAccuracy the fraction (0 to 1) of validation examples classified right
 * @param examplesPerSecond training throughput over the epoch
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                         double examplesPerSecond) {

    /**
     * @throws IllegalArgumentException if the epoch is below 1, the accuracy is outside [0, 1], or
     *     the throughput is negative
     */
    public EpochStats {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs count from 1, found " + epoch);
        }
        if (validationAccuracy < 0 || validationAccuracy > 1) {
            throw new IllegalArgumentException("epoch " + epoch + ": accuracy must be in [0, 1], found " + validationAccuracy);
        }
        if (examplesPerSecond < 0) {
            throw new IllegalArgumentException("epoch " + epoch + ": examples/s must be >= 0, found " + examplesPerSecond);
        }
    }
}
