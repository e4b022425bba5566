package dev.tern.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.train.LearningRateSchedule;
import dev.tern.train.models.ModelTemplates;
import org.junit.jupiter.api.Test;

/**
 * The unstructured target on digits: a 64-128-10 MLP trained dense, then pruned to 80%
 * global sparsity gradually while fine-tuning, stays within 1 point of its dense accuracy; its
 * pruned weights are exact zeros and the exported model has no mask nodes.
 */
class GradualPruningDigitsTest {
    private static final double TARGET = 0.8;

    @Test
    void eightyPercentSparseMlpStaysWithinOnePointOfDense() {
        Digits digits = Digits.read(64);
        try (Runtime runtime = Runtime.create()) {
            Model dense = digits.trained(runtime, ModelTemplates.mlp(64, new int[] {128}, 10, 1), 10, 3e-3);
            double denseAccuracy = digits.accuracy(runtime, dense);

            GradualPruning.Result result = GradualPruning.builder(dense, digits.train(2), digits.recipe())
                    .sparsity(new SparsitySchedule(TARGET, 3))
                    .epochs(8)
                    .learningRates(steps -> LearningRateSchedule.cosine(1e-2, steps, 0))
                    .build()
                    .run(runtime);
            Model pruned = result.model();
            double prunedAccuracy = digits.accuracy(runtime, pruned);

            String measured = "dense " + denseAccuracy + ", 80% sparse " + prunedAccuracy;
            System.out.println("digits gradual pruning accuracy: " + measured);
            assertTrue(prunedAccuracy >= denseAccuracy - 0.01, measured);
            assertEquals(TARGET, zeroFraction(pruned), 1e-3, "fraction of exact zeros in fc1.weight and fc2.weight");
            assertEquals(3, result.stages().size());
            assertTrue(result.stages().get(0).sparsity() < result.stages().get(1).sparsity());
            for (Node node : pruned.graph().nodes()) {
                assertTrue(!node.opType().equals("Constant"), "mask node left: " + node.describe());
            }
        }
    }

    /** The exact zeros among the entries of the MLP's two weight matrices. */
    private static double zeroFraction(Model model) {
        long zeros = 0;
        long total = 0;
        for (String name : new String[] {"fc1.weight", "fc2.weight"}) {
            Tensor weight = model.graph().initializers().get(name).initializer();
            for (float value : weight.toFloatArray()) {
                if (value == 0) {
                    zeros++;
                }
            }
            total += weight.elementCount();
        }
        return (double) zeros / total;
    }
}
