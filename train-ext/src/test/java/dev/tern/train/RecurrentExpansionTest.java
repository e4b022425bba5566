package dev.tern.train;

import dev.tern.exec.CompiledModel;
import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.NodeBuilder;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unrolled RNN, GRU and LSTM compute what ONNX Runtime's own kernels compute, for each
 * direction, option and layout; the forms the expansion cannot unroll are refused by name,
 * and only where a gradient needs them. The expansion is reached the way users reach it,
 * through {@link Autodiff#differentiate}, whose model keeps the forward outputs.
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
                RecurrentCase.of("LSTM").direction("reverse").withBias().withInitialState().onlyLastHidden(),
                RecurrentCase.of("RNN").direction("bidirectional").withBias().withInitialState().withSequenceLens(),
                RecurrentCase.of("GRU").direction("bidirectional").withBias().withInitialState().withSequenceLens(),
                RecurrentCase.of("GRU").direction("reverse").withSequenceLens().attr(Attribute.ofInt("linear_before_reset", 1)),
                RecurrentCase.of("LSTM").direction("bidirectional").withBias().withInitialState().withSequenceLens(),
                RecurrentCase.of("LSTM").batchFirst().withBias().withSequenceLens(),
                RecurrentCase.of("LSTM").direction("reverse").withInitialState().withSequenceLens().onlyLastHidden(),
                RecurrentCase.of("RNN").direction("bidirectional").withBias().activations("Softsign", "Softplus"),
                RecurrentCase.of("RNN").withBias().activations("Affine")
                        .attr(Attribute.ofFloats("activation_alpha", 0.7f)).attr(Attribute.ofFloats("activation_beta", 0.2f)),
                RecurrentCase.of("GRU").direction("bidirectional").withBias().withInitialState()
                        .activations("HardSigmoid", "Elu", "HardSigmoid", "LeakyRelu")
                        .attr(Attribute.ofFloats("activation_alpha", 0.3f, 0.8f, 0.25f, 0.1f))
                        .attr(Attribute.ofFloats("activation_beta", 0.4f, 0.6f)),
                RecurrentCase.of("LSTM").withBias().withInitialState().activations("HardSigmoid", "ScaledTanh", "Softsign")
                        .attr(Attribute.ofFloats("activation_alpha", 0.25f, 0.9f))
                        .attr(Attribute.ofFloats("activation_beta", 0.45f, 1.3f)),
                RecurrentCase.of("LSTM").withBias().activations("Sigmoid", "ThresholdedRelu", "Elu"));
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

    @Test
    void aDynamicSequenceLengthIsRefusedNamingOpNodeAndShape() {
        Model model = recurrentModel("LSTM", Dim.of("time"), node -> { });
        assertRefused(model, "cannot expand LSTM at node rec: sequence length is not statically known"
                + " (X 'x' has shape [time,2,3])");
    }

    @Test
    void anActivationWithoutAnExpansionIsRefusedByName() {
        Model model = recurrentModel("RNN", Dim.of(4), node -> node.strings("activations", "Swish"));
        assertRefused(model, "cannot expand RNN at node rec: activation 'Swish' is not one the ONNX spec lists:"
                + " Sigmoid, Tanh, Relu, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign,"
                + " Softplus");
    }

    @Test
    void activationsForTooFewDirectionsAreRefused() {
        Model model = recurrentModel("LSTM", Dim.of(4),
                node -> node.attr("direction", "bidirectional").strings("activations", "Sigmoid", "Tanh", "Tanh"));
        assertRefused(model, "cannot expand LSTM at node rec: activations lists 3 functions [Sigmoid, Tanh, Tanh],"
                + " expected 3 per direction for 2 direction(s)");
    }

    /** A frozen encoder needs no expansion, so a dynamic sequence length does not stop training the head. */
    @Test
    void aFrozenRecurrentOpStaysWholeWhateverItsSequenceLength() {
        Model model = recurrentModel("LSTM", Dim.of("time"), node -> { });
        GradientModel gradients = Autodiff.differentiate(model, "loss", List.of("head"));
        assertTrue(gradients.model().graph().nodes().stream().map(Node::opType).anyMatch("LSTM"::equals));
        Map<String, Tensor> feeds = Map.of("x", filled("x", 1, 5, 2, 3), "head", filled("head", 0.5f, 2, 1));
        try (CompiledModel step = runtime.compile(gradients.model())) {
            assertArrayEquals(new long[] {2, 1}, step.run(feeds).get("grad.head").dims());
        }
    }

    /**
     * X [sequence, 2, 3] into node "rec" (hidden size 2, weights as initializers), then Y_h
     * through a trainable [2, 1] "head" into a sum.
     */
    private static Model recurrentModel(String op, Dim sequence, Consumer<NodeBuilder> configure) {
        int gates = switch (op) {
            case "RNN" -> 1;
            case "GRU" -> 3;
            default -> 4;
        };
        GraphBuilder g = GraphBuilder.create("encoder");
        Value x = g.input("x", ElementType.FLOAT, sequence, Dim.of(2), Dim.of(3));
        Value w = g.initializer(filled("w", 0.1f, 1, gates * 2, 3));
        Value r = g.initializer(filled("r", 0.1f, 1, gates * 2, 2));
        NodeBuilder node = g.node(op).name("rec").inputs(x, w, r).attr("hidden_size", 2L);
        configure.accept(node);
        Value lastHidden = node.outputs(null, "y_h").get(1);
        Value features = g.op("Reshape", lastHidden, g.initializer(Tensor.ofLongs("rows", new long[] {2}, -1, 2)));
        Value head = g.initializer(filled("head", 0.5f, 2, 1));
        g.output(g.op("ReduceSum", g.op("MatMul", features, head)), "loss");
        return g.toModel(14);
    }

    private static Tensor filled(String name, float value, long... dims) {
        float[] values = new float[(int) Arrays.stream(dims).reduce(1, Math::multiplyExact)];
        Arrays.fill(values, value);
        return Tensor.ofFloats(name, dims, values);
    }

    /** Differentiating with respect to the weights needs the expansion, which {@code model} refuses with {@code message}. */
    private static void assertRefused(Model model, String message) {
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(model, "loss", List.of("w", "r")));
        assertEquals(message, error.getMessage());
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
