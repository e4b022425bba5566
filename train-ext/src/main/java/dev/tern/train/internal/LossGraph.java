package dev.tern.train.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import dev.tern.train.Loss;
import dev.tern.train.TrainingException;

import java.util.List;

/**
 * Appends a loss to a forward graph: a new target input and the loss ops reading it and the
 * prediction. Built-in losses reduce with a ReduceMean without axes (every element), so a
 * symbolic batch dimension needs nothing at build time.
 */
final class LossGraph {
    private final Ops ops;
    private final Graph graph;

    private LossGraph(Ops ops) {
        this.ops = ops;
        this.graph = ops.emitter().graph();
    }

    /** The target input (named {@code targetName}) and the scalar loss value, both added to {@code ops}' graph. */
    record Appended(Value target, Value loss) {
    }

    static Appended append(Ops ops, Value prediction, Loss loss, String targetName) {
        LossGraph builder = new LossGraph(ops);
        if (loss instanceof Loss.Custom custom) {
            Value target = builder.target(targetName, custom.graph().inputs().get(1).type());
            return new Appended(target, LossInliner.inline(ops.emitter(), custom.graph(), prediction, target));
        }
        ValueType.TensorType predictionType = (ValueType.TensorType) prediction.type();
        if (loss instanceof Loss.CrossEntropy crossEntropy) {
            return builder.crossEntropy(prediction, predictionType, crossEntropy.labelSmoothing(), targetName);
        }
        Value target = builder.target(targetName, predictionType);
        Value elementwise;
        if (loss instanceof Loss.MeanSquaredError) {
            elementwise = builder.square(ops.sub(prediction, target));
        } else if (loss instanceof Loss.L1) {
            elementwise = ops.op("Abs", ops.sub(prediction, target));
        } else {
            elementwise = builder.binaryCrossEntropy(prediction, target);
        }
        return new Appended(target, builder.meanOf(elementwise));
    }

    /**
     * {@code -mean_n sum_c q[n, c] * logSoftmax(x)[n, c]} with {@code q} the (smoothed) one-hot
     * target: OneHot's off and on values carry the smoothing, so it costs nothing extra.
     */
    private Appended crossEntropy(Value logits, ValueType.TensorType type, double smoothing, String targetName) {
        if (type.shape().rank() != 2) {
            throw new TrainingException("cross-entropy reads logits [batch, classes]; prediction '" + logits.name()
                    + "' is " + type);
        }
        long classes = ValueTypes.size(logits, 1);
        if (classes < 1) {
            throw new TrainingException("cross-entropy needs the class count of prediction '" + logits.name()
                    + "' known, found " + type);
        }
        Value target = target(targetName, ValueType.tensor(ElementType.INT64, Shape.of(type.shape().dim(0))));
        double off = smoothing / classes;
        Value values = ops.emitter().floats(type.elementType(), new long[] {2}, off, 1 - smoothing + off);
        Value oneHot = ops.op("OneHot", List.of(Attribute.ofInt("axis", -1)), target, ops.int64s(classes), values);
        Value logProbabilities = ops.op("LogSoftmax", List.of(Attribute.ofInt("axis", 1)), logits);
        Value perExample = ops.reduceSum(ops.mul(oneHot, logProbabilities), new long[] {1}, false);
        return new Appended(target, ops.neg(meanOf(perExample)));
    }

    private Value binaryCrossEntropy(Value x, Value y) {
        Value softplusOfMinusAbs = ops.op("Log", ops.add(ops.scalarLike(1, x), ops.op("Exp", ops.neg(ops.op("Abs", x)))));
        return ops.add(ops.sub(ops.op("Relu", x), ops.mul(x, y)), softplusOfMinusAbs);
    }

    private Value square(Value x) {
        return ops.mul(x, x);
    }

    private Value meanOf(Value x) {
        return ops.op("ReduceMean", List.of(Attribute.ofInt("keepdims", 0)), x);
    }

    private Value target(String name, ValueType type) {
        for (Value input : graph.inputs()) {
            if (input.name().equals(name)) {
                throw new TrainingException("graph '" + graph.name() + "' already has an input named '" + name
                        + "'; choose another target name");
            }
        }
        if (!ops.emitter().fresh(name).equals(name)) {
            throw new TrainingException("graph '" + graph.name() + "' already uses the name '" + name
                    + "'; choose another target name");
        }
        Value target = new Value(name, type);
        graph.addInput(target);
        return target;
    }
}
