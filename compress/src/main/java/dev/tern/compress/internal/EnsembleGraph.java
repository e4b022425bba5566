package dev.tern.compress.internal;

import dev.tern.compress.CombineMode;
import dev.tern.compress.EnsembleException;
import dev.tern.ir.ElementType;
import dev.tern.ir.Graph;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Shape;
import dev.tern.ir.Value;
import dev.tern.ir.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills an empty graph with an ensemble: each member copied under its prefix, then its first
 * output turned into probabilities (a Softmax over the last axis, unless the member's output
 * is already made by a Softmax) and the probabilities combined.
 */
public final class EnsembleGraph {
    private EnsembleGraph() {
    }

    /**
     * Builds the ensemble into {@code target}, whose outputs become {@code probabilities} and,
     * for {@link CombineMode#VOTE}, {@code label}.
     *
     * @param weights one per member for {@link CombineMode#WEIGHTED}, already scaled to sum to 1; ignored otherwise
     * @throws EnsembleException naming the member whose inputs, output or nodes cannot be merged
     */
    public static void build(Graph target, List<Model> members, CombineMode mode, double[] weights,
                             String probabilitiesName, String labelName) {
        SharedInputs inputs = new SharedInputs(target, EnsembleException::new);
        MemberCopier copier = new MemberCopier(target, inputs, MemberCopier.Weights.INITIALIZERS,
                EnsembleException::new);
        List<Value> outputs = new ArrayList<>(members.size());
        for (int member = 0; member < members.size(); member++) {
            Value output = copier.copy("member " + member, "m" + member + "/", members.get(member).graph()).get(0);
            requireFloatTensor(member, output);
            outputs.add(output);
        }
        ProbabilityCombiner combiner = new ProbabilityCombiner(GraphEditor.of(target));
        List<Value> probabilities = new ArrayList<>(outputs.size());
        for (Value output : outputs) {
            probabilities.add(isSoftmax(output) ? output : combiner.softmax(output));
        }
        Value combined = mode == CombineMode.WEIGHTED
                ? combiner.weightedSum(probabilities, weights)
                : combiner.mean(probabilities);
        ValueType.TensorType probabilitiesType = probabilitiesType(outputs.get(0));
        addOutput(target, combined, probabilitiesName, probabilitiesType);
        if (mode == CombineMode.VOTE) {
            Value label = combiner.vote(probabilities, combined);
            addOutput(target, label, labelName, new ValueType.TensorType(ElementType.INT64,
                    withoutLastAxis(probabilitiesType.shape())));
        }
    }

    /** Refuses an output known not to be a float tensor; one without a recorded type is taken on trust. */
    private static void requireFloatTensor(int member, Value output) {
        if (output.type() == null) {
            return;
        }
        if (!(output.type() instanceof ValueType.TensorType type) || type.elementType() != ElementType.FLOAT) {
            throw new EnsembleException("member " + member + " output '" + output.name()
                    + "': expected a float tensor of class scores, found " + output.type());
        }
    }

    private static ValueType.TensorType probabilitiesType(Value firstOutput) {
        return firstOutput.type() instanceof ValueType.TensorType type
                ? type
                : new ValueType.TensorType(ElementType.FLOAT, Shape.unknownRank());
    }

    private static boolean isSoftmax(Value output) {
        Node producer = output.producer();
        return producer != null && producer.opType().equals("Softmax")
                && (producer.domain().isEmpty() || producer.domain().equals("ai.onnx"));
    }

    private static void addOutput(Graph target, Value value, String name, ValueType.TensorType type) {
        value.rename(name);
        value.setType(type);
        target.addOutput(value);
    }

    private static Shape withoutLastAxis(Shape shape) {
        if (!shape.isRankKnown() || shape.rank() == 0) {
            return Shape.unknownRank();
        }
        return Shape.of(shape.dims().subList(0, shape.rank() - 1));
    }
}
