package dev.tern.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tern.exec.Runtime;
import dev.tern.ir.Model;
import dev.tern.train.models.ModelTemplates;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The structured target on digits: half the channels of the CNN's convolutions and
 * hidden dense layer removed. The smaller model has the expected shapes (the dense layer after
 * the Flatten loses the matching blocks of rows), computes what the dense model with those
 * channels zeroed computes, and learns back to near its dense accuracy.
 */
class StructuredPruningDigitsTest {
    @Test
    void halfTheCnnChannelsGoAndTheOutputsStayThoseOfTheZeroedModel() {
        Digits digits = Digits.read(1, 8, 8);
        try (Runtime runtime = Runtime.create()) {
            Model dense = digits.trained(runtime, ModelTemplates.cnn(1, 8, 8, 10, 1), 4, 3e-3);
            ChannelPlan plan = StructuredPruning.plan(dense, 0.5, ChannelNorm.L2);
            Model smaller = StructuredPruning.removeChannels(dense, plan);

            assertEquals(Map.of("fc2.weight", "its channels reach a graph output"), plan.untouched());
            assertShape(smaller, "conv1.weight", 8, 1, 3, 3);
            assertShape(smaller, "conv1.bias", 8);
            assertShape(smaller, "conv2.weight", 16, 8, 3, 3);
            assertShape(smaller, "conv2.bias", 16);
            assertShape(smaller, "fc1.weight", 16 * 4 * 4, 32);
            assertShape(smaller, "fc1.bias", 32);
            assertShape(smaller, "fc2.weight", 32, 10);
            assertArrayEquals(digits.logits(runtime, StructuredPruning.zeroChannels(dense, plan)),
                    digits.logits(runtime, smaller), 1e-5f);

            double denseAccuracy = digits.accuracy(runtime, dense);
            double prunedAccuracy = digits.accuracy(runtime, smaller);
            double tunedAccuracy = digits.accuracy(runtime, digits.trained(runtime, smaller, 4, 3e-3));
            String measured = "dense " + denseAccuracy + ", half the channels " + prunedAccuracy + ", fine-tuned "
                    + tunedAccuracy;
            System.out.println("digits structured pruning accuracy: " + measured);
            assertTrue(tunedAccuracy >= denseAccuracy - 0.02, measured);
        }
    }

    @Test
    void halfTheMlpNeuronsGoAndTheOutputsStayThoseOfTheZeroedModel() {
        Digits digits = Digits.read(64);
        try (Runtime runtime = Runtime.create()) {
            Model dense = digits.trained(runtime, ModelTemplates.mlp(64, new int[] {128}, 10, 1), 3, 3e-3);
            ChannelPlan plan = StructuredPruning.plan(dense, 0.5, ChannelNorm.L1);
            Model smaller = StructuredPruning.removeChannels(dense, plan);

            assertShape(smaller, "fc1.weight", 64, 64);
            assertShape(smaller, "fc1.bias", 64);
            assertShape(smaller, "fc2.weight", 64, 10);
            assertArrayEquals(digits.logits(runtime, StructuredPruning.zeroChannels(dense, plan)),
                    digits.logits(runtime, smaller), 1e-5f);
        }
    }

    private static void assertShape(Model model, String initializer, long... dims) {
        assertArrayEquals(dims, model.graph().initializers().get(initializer).initializer().dims(), initializer);
    }
}
