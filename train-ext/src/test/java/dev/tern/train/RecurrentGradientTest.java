package dev.tern.train;

import dev.tern.ir.Attribute;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.tern.ir.ElementType.DOUBLE;

/**
 * Gradients through the unrolled RNN, GRU and LSTM against central finite differences, for X,
 * W, R, B, the initial states and the peepholes.
 *
 * <p>The checks run in double, with {@link GradientCheck}'s double tolerances (its argument
 * holds here: the losses stay below 50 and every function on the path is smooth away from the
 * clip bounds, which random pre-activations miss by far more than the step of 1e-6), except
 * for the activations ONNX Runtime has only in float (HardSigmoid, Softsign, Softplus), which
 * run in float with its float tolerances. ONNX
 * Runtime has no double recurrent kernels, so the finite differences evaluate the loss of the
 * gradient model itself; its forward half is the expansion that {@link RecurrentExpansionTest}
 * compares with ONNX Runtime's kernels.
 */
class RecurrentGradientTest extends RuntimeExtension {
    static Stream<RecurrentCase> cases() {
        return Stream.of(
                RecurrentCase.of("RNN").type(DOUBLE).direction("bidirectional").withBias().withInitialState(),
                RecurrentCase.of("RNN").type(DOUBLE).direction("reverse").withBias().attr(Attribute.ofFloat("clip", 0.3f)),
                RecurrentCase.of("GRU").type(DOUBLE).direction("bidirectional").withBias().withInitialState(),
                RecurrentCase.of("GRU").type(DOUBLE).direction("bidirectional").withBias().withInitialState()
                        .attr(Attribute.ofInt("linear_before_reset", 1)),
                RecurrentCase.of("GRU").type(DOUBLE).opset(7).direction("reverse").withBias().withInitialState(),
                RecurrentCase.of("LSTM").type(DOUBLE).direction("bidirectional").withBias().withInitialState().withPeepholes(),
                RecurrentCase.of("LSTM").type(DOUBLE).withBias().withInitialState().withPeepholes()
                        .attr(Attribute.ofInt("input_forget", 1)).attr(Attribute.ofFloat("clip", 0.5f)),
                RecurrentCase.of("LSTM").type(DOUBLE).batchFirst().direction("bidirectional").withBias().withInitialState()
                        .withPeepholes(),
                RecurrentCase.of("LSTM").type(DOUBLE).opset(7).direction("bidirectional").withBias().withInitialState()
                        .withPeepholes(),
                RecurrentCase.of("LSTM").type(DOUBLE).direction("reverse").withBias().withInitialState().onlyLastHidden(),
                RecurrentCase.of("GRU").type(DOUBLE).direction("bidirectional").withBias().withInitialState()
                        .withSequenceLens(),
                RecurrentCase.of("LSTM").type(DOUBLE).direction("bidirectional").withBias().withInitialState()
                        .withSequenceLens(),
                RecurrentCase.of("GRU").withBias().withInitialState().activations("HardSigmoid", "Softsign")
                        .attr(Attribute.ofFloats("activation_alpha", 0.3f)).attr(Attribute.ofFloats("activation_beta", 0.4f)),
                RecurrentCase.of("LSTM").withBias().activations("Sigmoid", "ScaledTanh", "Softplus")
                        .attr(Attribute.ofFloats("activation_alpha", 0.9f)).attr(Attribute.ofFloats("activation_beta", 1.2f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(RecurrentCase recurrent) {
        List<String> wrt = new ArrayList<>(List.of("x"));
        wrt.addAll(recurrent.parameterNames());
        GradientModel gradients = Autodiff.differentiate(recurrent.model(), "loss", wrt);
        GradientCheck.check(runtime, gradients, gradients.model(), "loss", recurrent.feeds(5), wrt);
    }
}
