package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.Loss;
import dev.tern.train.TrainingException;

import java.util.List;

/**
 * Appends a loss function to a forward graph: the ops reading the prediction and the target,
 * the target resolved by name (a graph input or output of that name, or else a new graph
 * input typed as the function needs). Built-in losses reduce with a ReduceMean without axes
 * (every element), so a symbolic batch dimension needs nothing at build time.
 */
final class LossGraph {
    private final Ops ops;
    private final Graph graph;

    private LossGraph(Ops ops) {
        this.ops = ops;
        this.graph = ops.emitter().graph();
    }

    /** The scalar value of {@code loss} between {@code prediction} and the target named {@code targetName}, added to {@code ops}' graph. */
    static Value append(Ops ops, Value prediction, Loss loss, String targetName) {
        LossGraph builder = new LossGraph(ops);
        if (loss instanceof Loss.Custom custom) {
            Value target = builder.target(targetName, custom.graph().inputs().get(1).type());
            return LossInliner.inline(ops.emitter(), custom.graph(), prediction, target);
        }
        ValueType.TensorType predictionType = (ValueType.TensorType) prediction.type();
        if (loss instanceof Loss.CrossEntropy crossEntropy) {
            return builder.crossEntropy(prediction, predictionType, crossEntropy.labelSmoothing(), targetName);
        }
        if (loss instanceof Loss.SoftCrossEntropy) {
            classCount(prediction, predictionType, "soft cross-entropy");
            Value target = builder.target(targetName, predictionType);
            return builder.softmaxCrossEntropy(prediction, target);
        }
        if (loss instanceof Loss.OneHotTargets oneHot) {
            return builder.oneHotTargets(prediction, predictionType, oneHot.elementwise(), targetName);
        }
        Value target = builder.target(targetName, predictionType);
        if (loss instanceof Loss.GaussianKl) {
            return builder.gaussianKl(prediction, target);
        }
        if (loss instanceof Loss.PerExampleSum sum) {
            return builder.meanOf(builder.sumPerExample(builder.elementwise(sum.elementwise(), prediction, target), prediction));
        }
        return builder.meanOf(builder.elementwise(loss, prediction, target));
    }

    private Value elementwise(Loss loss, Value prediction, Value target) {
        if (loss instanceof Loss.MeanSquaredError) {
            return square(ops.sub(prediction, target));
        }
        if (loss instanceof Loss.L1) {
            return ops.op("Abs", ops.sub(prediction, target));
        }
        return binaryCrossEntropy(prediction, target);
    }

    /** An element-wise loss between the scores and the one-hot encoding of int64 class indices. */
    private Value oneHotTargets(Value scores, ValueType.TensorType type, Loss elementwise, String targetName) {
        OneHotTarget target = oneHotTarget(scores, type, "a loss on one-hot targets", targetName, 0, 1);
        return meanOf(elementwise(elementwise, scores, target.encoded()));
    }

    /**
     * {@code mean_n sum_j -0.5 * (1 + logVariance - mean^2 - exp(logVariance))[n, j]}: the
     * divergence of N(mean, exp(logVariance)) from N(0, 1) in nats per example.
     */
    private Value gaussianKl(Value mean, Value logVariance) {
        Value inner = ops.sub(ops.add(ops.scalarLike(1, mean), logVariance),
                ops.add(ops.mul(mean, mean), ops.op("Exp", logVariance)));
        return meanOf(sumPerExample(ops.mul(ops.scalarLike(-0.5, mean), inner), mean));
    }

    /** {@code perElement} (shaped like {@code like}, {@code [batch, ...]}) summed over every axis but the batch's. */
    private Value sumPerExample(Value perElement, Value like) {
        int rank = ValueTypes.rank(like);
        if (rank < 1) {
            throw new TrainingException("a loss summed per example reads [batch, ...]; '" + like.name() + "' is "
                    + like.type());
        }
        long[] featureAxes = new long[rank - 1];
        for (int axis = 1; axis < rank; axis++) {
            featureAxes[axis - 1] = axis;
        }
        return rank == 1 ? perElement : ops.reduceSum(perElement, featureAxes, false);
    }

    /**
     * Cross-entropy with {@code q} the (smoothed) one-hot target: OneHot's off and on values
     * carry the smoothing, so it costs nothing extra.
     */
    private Value crossEntropy(Value logits, ValueType.TensorType type, double smoothing, String targetName) {
        long classes = classCount(logits, type, "cross-entropy");
        double off = smoothing / classes;
        OneHotTarget target = oneHotTarget(logits, type, "cross-entropy", targetName, off, 1 - smoothing + off);
        return softmaxCrossEntropy(logits, target.encoded());
    }

    /**
     * {@code -mean_n sum_c q[n, c] * logSoftmax(x)[n, c]} for scores {@code x} and target
     * distributions {@code q}, {@code n} running over every position of scores
     * {@code [batch, ..., classes]} (examples, or tokens of a sequence). The class axis is named
     * by its index, not -1, since before opset 13 LogSoftmax flattens the input to 2-D at its axis.
     */
    private Value softmaxCrossEntropy(Value logits, Value distributions) {
        long classAxis = ValueTypes.rank(logits) - 1;
        Value logProbabilities = ops.op("LogSoftmax", List.of(Attribute.ofInt("axis", classAxis)), logits);
        Value perPosition = ops.reduceSum(ops.mul(distributions, logProbabilities), new long[] {classAxis}, false);
        return ops.neg(meanOf(perPosition));
    }

    /** The int64 class-index target {@code [batch, ...]} and its one-hot encoding. */
    private record OneHotTarget(Value indices, Value encoded) {
    }

    /**
     * A class-index target for scores {@code [batch, ..., classes]}, shaped like them without
     * the class axis, encoded with {@code off} and {@code on} in the scores' element type.
     */
    private OneHotTarget oneHotTarget(Value scores, ValueType.TensorType type, String loss, String targetName,
                                      double off, double on) {
        long classes = classCount(scores, type, loss);
        List<Dim> positions = type.shape().dims().subList(0, type.shape().rank() - 1);
        Value indices = target(targetName, ValueType.tensor(ElementType.INT64, Shape.of(positions)));
        Value values = ops.emitter().floats(type.elementType(), new long[] {2}, off, on);
        Value encoded = ops.op("OneHot", List.of(Attribute.ofInt("axis", -1)), indices, ops.int64s(classes), values);
        return new OneHotTarget(indices, encoded);
    }

    /** The known class count of scores {@code [batch, ..., classes]}. */
    private static long classCount(Value scores, ValueType.TensorType type, String loss) {
        if (!type.shape().isRankKnown() || type.shape().rank() < 2) {
            throw new TrainingException(loss + " reads scores [batch, ..., classes]; prediction '" + scores.name()
                    + "' is " + type);
        }
        long classes = ValueTypes.size(scores, -1);
        if (classes < 1) {
            throw new TrainingException(loss + " needs the class count of prediction '" + scores.name()
                    + "' known, found " + type);
        }
        return classes;
    }

    /**
     * {@code softplus(x) - x * y}, the cross-entropy of logits {@code x} against targets
     * {@code y}: ONNX Runtime's Softplus is evaluated stably ({@code x + log1p(exp(-x))} for
     * positive x), and its gradient, {@code sigmoid(x)}, makes the backward pass a few nodes
     * where the spelled-out {@code relu(x) - x * y + log(1 + exp(-|x|))} took about fifteen.
     */
    private Value binaryCrossEntropy(Value x, Value y) {
        return ops.sub(ops.op("Softplus", x), ops.mul(x, y));
    }

    private Value square(Value x) {
        return ops.mul(x, x);
    }

    private Value meanOf(Value x) {
        return ops.op("ReduceMean", List.of(Attribute.ofInt("keepdims", 0)), x);
    }

    /**
     * The target named {@code name}: the graph input or output of that name, checked to have
     * {@code type}'s element type, or else a new graph input of {@code type}.
     */
    private Value target(String name, ValueType type) {
        Value existing = inputOrOutput(name);
        if (existing != null) {
            requireElementType(existing, type);
            return existing;
        }
        if (!ops.emitter().claim(name)) {
            throw new TrainingException("graph '" + graph.name() + "' already uses the name '" + name
                    + "' for a value that is neither an input nor an output; choose another target name");
        }
        Value target = new Value(name, type);
        graph.addInput(target);
        return target;
    }

    private Value inputOrOutput(String name) {
        for (Value input : graph.inputs()) {
            if (input.name().equals(name) && !input.isInitializer()) {
                return input;
            }
        }
        for (Value output : graph.outputs()) {
            if (output.name().equals(name)) {
                return output;
            }
        }
        return null;
    }

    private void requireElementType(Value target, ValueType needed) {
        boolean fits = needed instanceof ValueType.TensorType tensor
                ? target.type() instanceof ValueType.TensorType found && found.elementType() == tensor.elementType()
                : needed.equals(target.type());
        if (!fits) {
            throw new TrainingException("graph '" + graph.name() + "': the loss needs target '" + target.name()
                    + "' to be " + needed + ", found " + target.type());
        }
    }
}
