package dev.tern.compress.internal;

import dev.tern.ir.Attribute;
import dev.tern.ir.GraphEditor;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the ops that combine the members' class probabilities (classes on the last axis):
 * the mean, a weighted sum, and the argmax vote.
 */
final class ProbabilityCombiner {
    private final GraphEditor editor;

    ProbabilityCombiner(GraphEditor editor) {
        this.editor = editor;
    }

    /** Softmax over the last axis, turning a member's logits into probabilities. */
    Value softmax(Value logits) {
        return editor.addNode("Softmax", List.of(logits), 1, List.of(Attribute.ofInt("axis", -1))).output(0);
    }

    /** The element-wise mean of the members' probabilities. */
    Value mean(List<Value> probabilities) {
        return editor.addNode("Mean", probabilities, 1, List.of()).output(0);
    }

    /** The sum of {@code probabilities[i] * weights[i]}; the caller scales the weights to sum to 1. */
    Value weightedSum(List<Value> probabilities, double[] weights) {
        List<Value> terms = new ArrayList<>(probabilities.size());
        for (int member = 0; member < probabilities.size(); member++) {
            Value weight = editor.addInitializer("m" + member + "_weight",
                    Tensor.ofFloats("weight", new long[0], (float) weights[member]));
            terms.add(editor.addOp("Mul", probabilities.get(member), weight));
        }
        return editor.addNode("Sum", terms, 1, List.of()).output(0);
    }

    /**
     * The class most members rank first, as int64 over the batch axes. A tie goes to the class
     * with the higher {@code meanProbabilities}: the score is {@code 2 * votes + mean}, and as a
     * mean probability lies in [0, 1], one vote more always outweighs it.
     */
    Value vote(List<Value> probabilities, Value meanProbabilities) {
        Value classCount = editor.addOp("Gather", editor.addOp("Shape", meanProbabilities),
                editor.addInitializer("last_axis", Tensor.ofLongs("last_axis", new long[0], -1L)));
        Value offOn = editor.addInitializer("vote_off_on", Tensor.ofFloats("vote_off_on", new long[] {2}, 0f, 1f));
        List<Value> ballots = new ArrayList<>(probabilities.size());
        for (Value memberProbabilities : probabilities) {
            Value choice = argmaxOverClasses(memberProbabilities);
            ballots.add(editor.addNode("OneHot", List.of(choice, classCount, offOn), 1,
                    List.of(Attribute.ofInt("axis", -1))).output(0));
        }
        Value votes = editor.addNode("Sum", ballots, 1, List.of()).output(0);
        Value two = editor.addInitializer("vote_weight", Tensor.ofFloats("vote_weight", new long[0], 2f));
        Value score = editor.addOp("Add", editor.addOp("Mul", votes, two), meanProbabilities);
        return argmaxOverClasses(score);
    }

    private Value argmaxOverClasses(Value scores) {
        Node argmax = editor.addNode("ArgMax", List.of(scores), 1,
                List.of(Attribute.ofInt("axis", -1), Attribute.ofInt("keepdims", 0)));
        return argmax.output(0);
    }
}
