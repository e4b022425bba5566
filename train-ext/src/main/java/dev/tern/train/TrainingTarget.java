package dev.tern.train;

import dev.tern.ir.Dim;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.Objects;

/**
 * What a fine-tuning's loss compares a model output with, decided by the loss and the
 * output's width: class labels for scores {@code [batch, classes]} (cross-entropy, or mean
 * squared error, L1 and binary cross-entropy on one-hot labels), a numeric label for
 * {@code [batch, 1]} (mean squared error, L1, or binary cross-entropy on 0/1 labels).
 * Refusals name the model output, never the training graph's own inputs.
 *
 * @param loss the loss the training session appends
 * @param classCount the number of classes, or 0 for a numeric label
 */
public record TrainingTarget(Loss loss, int classCount) {
    /** @throws IllegalArgumentException if {@code classCount} is negative */
    public TrainingTarget {
        Objects.requireNonNull(loss, "loss");
        if (classCount < 0) {
            throw new IllegalArgumentException("class count must be 0 (numeric labels) or more, found " + classCount);
        }
    }

    /** Numbers to predict, compared by {@code loss}; an unsupervised task's labels are read so and left unused. */
    public static TrainingTarget numeric(Loss loss) {
        return new TrainingTarget(loss, 0);
    }

    /** Whether the labels are classes (indices or names), not numbers to predict. */
    public boolean classLabels() {
        return classCount > 0;
    }

    /**
     * The target for {@code loss} on the model output {@code output}; with {@code labelRows},
     * class labels come as float rows (one-hot, or blended by mixup), so cross-entropy reads
     * soft targets and the other losses compare the rows directly.
     *
     * @throws TrainingException if the output is not {@code [batch, width]} with a known width,
     *     or cross-entropy is asked of fewer than 2 scores
     */
    public static TrainingTarget of(Loss loss, Value output, boolean labelRows) {
        long width = width(output);
        if (width < 1) {
            throw new TrainingException("the loss reads output '" + output.name() + "' as [batch, classes] scores "
                    + "or a [batch, 1] prediction, found " + output.type());
        }
        if (loss instanceof Loss.CrossEntropy) {
            if (width < 2) {
                throw new TrainingException("cross-entropy needs scores for at least 2 classes, but output '"
                        + output.name() + "' is " + output.type() + "; for a numeric label use mean squared error "
                        + "or L1, for a 0/1 label binary cross-entropy");
            }
            return new TrainingTarget(labelRows ? Loss.softCrossEntropy() : loss, Math.toIntExact(width));
        }
        if (width == 1) {
            return numeric(loss);
        }
        return new TrainingTarget(labelRows ? loss : Loss.oneHotTargets(loss), Math.toIntExact(width));
    }

    /** The known size of the output's second dimension when it is {@code [batch, width]}, else -1. */
    private static long width(Value output) {
        if (output.type() instanceof ValueType.TensorType tensor && tensor.shape().isRankKnown()
                && tensor.shape().rank() == 2 && tensor.shape().dim(1) instanceof Dim.Known known) {
            return known.size();
        }
        return -1;
    }
}
