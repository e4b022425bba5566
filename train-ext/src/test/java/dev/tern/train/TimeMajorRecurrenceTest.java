package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import dev.tern.ir.passes.PassResult;
import dev.tern.train.internal.TimeMajorRecurrence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The time-major rewrite of batch-first recurrent nodes, run under the def-use verifier,
 * computes exactly what ONNX Runtime's kernel computes between the transposes the spec defines
 * layout 1 by, keeps the graph's input and output names, and leaves a time-major node alone.
 */
class TimeMajorRecurrenceTest extends RuntimeExtension {
    private static final Set<String> RECURRENT_OPS = Set.of("RNN", "GRU", "LSTM");

    static Stream<RecurrentCase> batchFirstCases() {
        return Stream.of(
                RecurrentCase.of("RNN").batchFirst().direction("bidirectional").withBias().withInitialState(),
                RecurrentCase.of("GRU").batchFirst().withBias(),
                RecurrentCase.of("LSTM").batchFirst().direction("reverse").withBias().withInitialState().withPeepholes(),
                RecurrentCase.of("LSTM").batchFirst().withBias().onlyLastHidden());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchFirstCases")
    void rewrittenNodeComputesWhatLayoutOneMeans(RecurrentCase recurrent) {
        Model model = recurrent.model();
        List<String> inputNames = names(model.graph().inputs());
        List<String> outputNames = names(model.graph().outputs());

        PassResult result = new TimeMajorRecurrence().apply(model, true);

        assertTrue(result.modified());
        Node rewritten = recurrentNode(model);
        assertFalse(rewritten.attribute("layout").isPresent(), "layout left on " + rewritten.describe());
        assertEquals(inputNames, names(model.graph().inputs()));
        assertEquals(outputNames, names(model.graph().outputs()));
        Map<String, Tensor> feeds = recurrent.feeds(5);
        try (CompiledModel expected = runtime.compile(recurrent.timeFirstEquivalent());
             CompiledModel actual = runtime.compile(model)) {
            Map<String, Tensor> want = expected.run(feeds);
            Map<String, Tensor> got = actual.run(feeds);
            for (String name : recurrent.outputNames()) {
                assertArrayEquals(want.get(name).dims(), got.get(name).dims(), "shape of " + name);
                assertArrayEquals(want.get(name).toFloatArray(), got.get(name).toFloatArray(), name);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timeMajorCases")
    void timeMajorNodeIsLeftAlone(RecurrentCase recurrent) {
        Model model = recurrent.model();
        List<Node> before = List.copyOf(model.graph().nodes());

        PassResult result = new TimeMajorRecurrence().apply(model, true);

        assertFalse(result.modified());
        assertEquals(before, model.graph().nodes());
    }

    static Stream<RecurrentCase> timeMajorCases() {
        return Stream.of(RecurrentCase.of("GRU").withBias(), RecurrentCase.of("LSTM").withInitialState());
    }

    private static Node recurrentNode(Model model) {
        List<Node> recurrent = model.graph().nodes().stream().filter(node -> RECURRENT_OPS.contains(node.opType())).toList();
        assertEquals(1, recurrent.size(), "recurrent nodes");
        return recurrent.get(0);
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }
}
