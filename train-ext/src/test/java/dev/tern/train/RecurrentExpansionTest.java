package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.ir.Attribute;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unrolled RNN, GRU and LSTM compute what ONNX Runtime's own kernels compute, for each
 * direction, option and layout. The expansion is reached the way users reach it, through
 * {@link Autodiff#differentiate}, whose model keeps the forward outputs.
 *
 * <p>Tolerance. Both sides run in float (ONNX Runtime's recurrent kernels have no double):
 * the kernels fuse the gate GEMMs and use MLAS's rational approximations of tanh and the
 * logistic function (relative error about 1e-6), while the unrolled graph sums the terms in
 * another order. Each step's rounding (a few float epsilons on values below 1 in magnitude)
 * is carried through at most 3 steps with contracting activations. The largest difference
 * seen is 4e-7, so 1e-5 absolute leaves a margin of 25 while a wrong gate order, bias or
 * direction is off by about 1e-1.
 */
class RecurrentExpansionTest extends RuntimeExtension {
    private static final double TOLERANCE = 1e-5;
    private static final Set<String> RECURRENT_OPS = Set.of("RNN", "GRU", "LSTM");

    static Stream<RecurrentCase> cases() {
        return Stream.of(
                RecurrentCase.of("RNN"),
                RecurrentCase.of("RNN").direction("reverse").withBias(),
                RecurrentCase.of("RNN").direction("bidirectional").withBias().withInitialState(),
                RecurrentCase.of("RNN").direction("bidirectional").activations("Relu", "Sigmoid"),
                RecurrentCase.of("RNN").withInitialState().attr(Attribute.ofFloat("clip", 0.3f)),
                RecurrentCase.of("RNN").batchFirst().direction("bidirectional").withBias().withInitialState(),
                RecurrentCase.of("RNN").opset(7).direction("bidirectional").withBias().withInitialState(),
                RecurrentCase.of("GRU"),
                RecurrentCase.of("GRU").direction("reverse").withBias().withInitialState(),
                RecurrentCase.of("GRU").direction("bidirectional").withBias().withInitialState(),
                RecurrentCase.of("GRU").direction("bidirectional").withBias().withInitialState()
                        .attr(Attribute.ofInt("linear_before_reset", 1)),
                RecurrentCase.of("GRU").attr(Attribute.ofInt("linear_before_reset", 1)),
                RecurrentCase.of("GRU").withBias().attr(Attribute.ofInt("linear_before_reset", 1)),
                RecurrentCase.of("GRU").direction("bidirectional").withInitialState()
                        .activations("Relu", "Tanh", "Sigmoid", "Relu"),
                RecurrentCase.of("GRU").withBias().withInitialState().attr(Attribute.ofFloat("clip", 0.4f)),
                RecurrentCase.of("GRU").batchFirst().direction("bidirectional").withBias().withInitialState()
                        .attr(Attribute.ofInt("linear_before_reset", 1)),
                RecurrentCase.of("GRU").opset(7).direction("reverse").withBias().withInitialState(),
                RecurrentCase.of("GRU").direction("bidirectional").withBias().onlyLastHidden(),
                RecurrentCase.of("LSTM"),
                RecurrentCase.of("LSTM").direction("reverse").withBias().withInitialState(),
                RecurrentCase.of("LSTM").direction("bidirectional").withBias().withInitialState().withPeepholes(),
                RecurrentCase.of("LSTM").withPeepholes(),
                RecurrentCase.of("LSTM").withBias().withInitialState().withPeepholes()
                        .attr(Attribute.ofInt("input_forget", 1)),
                RecurrentCase.of("LSTM").withBias().withInitialState().withPeepholes().attr(Attribute.ofFloat("clip", 0.5f)),
                RecurrentCase.of("LSTM").direction("bidirectional").withBias()
                        .activations("Tanh", "Relu", "Sigmoid", "Sigmoid", "Tanh", "Relu"),
                RecurrentCase.of("LSTM").batchFirst().direction("bidirectional").withBias().withInitialState().withPeepholes(),
                RecurrentCase.of("LSTM").opset(7).direction("bidirectional").withBias().withInitialState().withPeepholes(),
                RecurrentCase.of("LSTM").direction("reverse").withBias().withInitialState().onlyLastHidden());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unrolledOpMatchesOnnxRuntimesKernel(RecurrentCase recurrent) {
        GradientModel unrolled = Autodiff.differentiate(recurrent.model(), "loss", recurrent.parameterNames());
        assertTrue(unrolled.model().graph().nodes().stream().map(Node::opType).noneMatch(RECURRENT_OPS::contains),
                "the recurrent node is still there");
        Map<String, Tensor> feeds = recurrent.feeds(11);
        try (CompiledModel kernel = runtime.compile(recurrent.timeFirstEquivalent());
             CompiledModel expanded = runtime.compile(unrolled.model())) {
            Map<String, Tensor> expected = kernel.run(feeds);
            Map<String, Tensor> actual = expanded.run(feeds);
            for (String name : recurrent.outputNames()) {
                assertClose(name, expected.get(name), actual.get(name));
            }
        }
    }

    private static void assertClose(String name, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.dims(), actual.dims(), "shape of " + name);
        float[] want = expected.toFloatArray();
        float[] got = actual.toFloatArray();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOLERANCE, name + "[" + i + "]");
        }
    }
}
