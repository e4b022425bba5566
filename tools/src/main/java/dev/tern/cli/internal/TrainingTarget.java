package dev.tern.cli.internal;

import dev.tern.ir.Dim;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.Loss;
import java.nio.file.Path;

/**
 * What {@code tern finetune}'s loss compares the model's output with, decided by the loss and
 * the output's width: class labels for scores {@code [batch, classes]} (cross-entropy, or
 * mse, l1 and bce on one-hot labels), a numeric label for {@code [batch, 1]} (mse, l1, or bce
 * on 0/1 labels). Refusals name the option, the model file and the output, never the training
 * graph's own inputs.
 *
 * @param loss the loss the training session appends
 * @param classCount the number of classes, or 0 for a numeric label
 */
record TrainingTarget(Loss loss, int classCount) {

    /** Whether the labels are classes (indices or names), not numbers to regress. */
    boolean classLabels() {
        return classCount > 0;
    }

    /**
     * The target for {@code loss} (named {@code lossName} on the command line) on {@code output}
     * of the model in {@code modelFile}; with {@code labelRows}, class labels come as float rows
     * (one-hot, or blended by mixup), so cross-entropy reads soft targets and mse, l1 and bce
     * compare the rows directly.
     *
     * @throws CliFailure (usage) if the output is not {@code [batch, width]} with a known width,
     *     or cross-entropy is asked of fewer than 2 scores
     */
    static TrainingTarget of(Loss loss, String lossName, Path modelFile, Value output, boolean labelRows) {
        long width = width(output);
        if (width < 1) {
            throw CliFailure.usage(modelFile, "--loss " + lossName + " reads output '" + output.name()
                    + "' as [batch, classes] scores or a [batch, 1] prediction, found " + output.type());
        }
        if (loss instanceof Loss.CrossEntropy) {
            if (width < 2) {
                throw CliFailure.usage(modelFile, "--loss ce needs scores for at least 2 classes, but output '"
                        + output.name() + "' is " + output.type()
                        + "; for a numeric label use --loss mse or l1, for a 0/1 label --loss bce");
            }
            return new TrainingTarget(labelRows ? Loss.softCrossEntropy() : loss, Math.toIntExact(width));
        }
        if (width == 1) {
            return new TrainingTarget(loss, 0);
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
