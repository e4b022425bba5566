package dev.tern.train;

import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Node;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Autodiff builds around the rules: fan-out, frozen and trainable weights, skipped paths, errors. */
class AutodiffTest extends RuntimeExtension {
    private static Tensor randomDoubles(String name, Random random, long... dims) {
        int count = 1;
        for (long dim : dims) {
            count *= (int) dim;
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextGaussian() * 0.5;
        }
        return Tensor.ofDoubles(name, dims, values);
    }

    /** A two-layer MLP with a tanh and an MSE-style loss; the weights are initializers, or graph inputs when asked. */
    private static Model mlp(long seed, boolean weightsAsInputs) {
        Random random = new Random(seed);
        GraphBuilder g = GraphBuilder.create("mlp");
        Value x = g.input("x", ElementType.DOUBLE, Dim.of("batch"), Dim.of(3));
        Value target = g.input("target", ElementType.DOUBLE, Dim.of("batch"), Dim.of(2));
        Value w1 = weight(g, randomDoubles("w1", random, 3, 4), weightsAsInputs);
        Value b1 = weight(g, randomDoubles("b1", random, 4), weightsAsInputs);
        Value w2 = weight(g, randomDoubles("w2", random, 4, 2), weightsAsInputs);
        Value b2 = weight(g, randomDoubles("b2", random, 2), weightsAsInputs);
        Value hidden = g.op("Tanh", g.op("Add", g.op("MatMul", x, w1), b1));
        Value y = g.op("Add", g.op("MatMul", hidden, w2), b2);
        g.output(y, "y");
        Value error = g.op("Sub", y, target);
        g.output(g.op("ReduceMean", g.op("Mul", error, error)), "loss");
        return g.toModel(17);
    }

    private static Model mlp(long seed) {
        return mlp(seed, false);
    }

    private static Value weight(GraphBuilder g, Tensor value, boolean asInput) {
        if (asInput) {
            return g.input(value.name(), value.type());
        }
        return g.initializer(value);
    }

    @Test
    void trainableInitializersBecomeInputsAndFrozenOnesStay() {
        Model model = mlp(1);
        GradientModel gradients = Autodiff.differentiate(model, "loss", List.of("w2", "b2"));
        List<String> inputs = gradients.model().graph().inputs().stream().map(Value::name).toList();
        assertEquals(List.of("x", "target", "w2", "b2"), inputs);
        assertTrue(gradients.model().graph().initializers().keySet().containsAll(List.of("w1", "b1")));
        assertFalse(gradients.model().graph().initializers().containsKey("w2"));
        List<String> outputs = gradients.model().graph().outputs().stream().map(Value::name).toList();
        assertEquals(List.of("y", "loss", "grad.w2", "grad.b2"), outputs);
        assertEquals(Map.of("w2", "grad.w2", "b2", "grad.b2"), gradients.gradientOutputs());
        assertEquals("loss", gradients.lossOutput());
    }

    @Test
    void frozenWeightsGetNoGradientAndTheInputModelIsUnchanged() {
        Model model = mlp(1);
        int nodesBefore = model.graph().nodeCount();
        GradientModel gradients = Autodiff.differentiate(model, "loss", List.of("b2"));
        assertEquals(Map.of("b2", "grad.b2"), gradients.gradientOutputs());
        boolean anyOtherGradient = gradients.model().graph().outputs().stream()
                .anyMatch(v -> v.name().startsWith("grad.") && !v.name().equals("grad.b2"));
        assertFalse(anyOtherGradient);
        assertEquals(nodesBefore, model.graph().nodeCount());
        assertTrue(model.graph().initializers().containsKey("b2"));
        assertEquals(List.of("x", "target"), model.graph().inputs().stream().map(Value::name).toList());
    }

    @Test
    void mlpGradientsMatchFiniteDifferencesWithWeightsAsInitializers() {
        Model model = mlp(2);
        List<String> weights = List.of("w1", "b1", "w2", "b2");
        GradientModel gradients = Autodiff.differentiate(model, "loss", weights);
        Random random = new Random(3);
        Map<String, Tensor> feeds = new HashMap<>();
        feeds.put("x", randomDoubles("x", random, 5, 3));
        feeds.put("target", randomDoubles("target", random, 5, 2));
        for (String weight : weights) {
            feeds.put(weight, model.graph().initializers().get(weight).initializer());
        }
        GradientCheck.check(runtime, gradients, mlp(2, true), "loss", feeds, weights);
    }

    @Test
    void gradientsOfAValueReadTwiceAreSummed() {
        GraphBuilder g = GraphBuilder.create("fan_out");
        Value x = g.input("x", ElementType.DOUBLE, Dim.of(2), Dim.of(3));
        Value squared = g.op("Mul", x, x);
        Value both = g.op("Add", g.op("Exp", x), g.op("Mul", squared, x));
        g.output(g.op("ReduceSum", both), "loss");
        Map<String, Tensor> feeds = Map.of("x", randomDoubles("x", new Random(3), 2, 3));
        GradientCheck.check(runtime, g.toModel(17), "loss", feeds, List.of("x"));
    }

    @Test
    void missingRuleNamesOpDomainAndNode() {
        GraphBuilder g = GraphBuilder.create("no_rule");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(4));
        Value y = g.node("Hardmax").name("hard").inputs(x).output();
        g.output(g.op("ReduceSum", y), "loss");
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(g.toModel(17), "loss", List.of("x")));
        assertEquals("no gradient rule for Hardmax (ai.onnx) at node hard", error.getMessage());
    }

    @Test
    void missingRuleOfACustomDomainNamesTheDomain() {
        GraphBuilder g = GraphBuilder.create("custom");
        g.opset("com.example", 1);
        Value x = g.input("x", ElementType.FLOAT, Dim.of(4));
        Value y = g.node("Fancy").domain("com.example").name("fancy").inputs(x).output();
        y.setType(x.type());
        g.output(g.op("ReduceSum", y), "loss");
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(g.toModel(17), "loss", List.of("x")));
        assertEquals("no gradient rule for Fancy (com.example) at node fancy", error.getMessage());
    }

    /**
     * Sin has no rule, but it only feeds a shape (through ArgMax and Cast to int64) and an
     * index, which carry no gradient, so differentiation succeeds and is exact.
     */
    @Test
    void integerAndShapePathsNeedNoRules() {
        GraphBuilder g = GraphBuilder.create("integer_paths");
        Value x = g.input("x", ElementType.DOUBLE, Dim.of(2), Dim.of(3));
        Value index = g.node("ArgMax").inputs(g.op("Sin", x)).attr("axis", 1L).attr("keepdims", 0L).output();
        Value picked = g.node("Gather").inputs(x, index).attr("axis", 1L).output();
        Value flat = g.op("Reshape", g.op("Mul", x, x), g.op("Shape", g.op("Sin", x)));
        g.output(g.op("Add", g.op("ReduceSum", picked), g.op("ReduceSum", flat)), "loss");
        Model model = g.toModel(17);
        GradientModel gradients = Autodiff.differentiate(model, "loss", List.of("x"));
        assertTrue(gradients.model().graph().nodes().stream().map(Node::opType).noneMatch("Cos"::equals));
        Map<String, Tensor> feeds = Map.of("x", randomDoubles("x", new Random(4), 2, 3));
        GradientCheck.check(runtime, model, "loss", feeds, List.of("x"));
    }

    @Test
    void compositesAreExpandedOnlyWhereAGradientFlowsThroughThem() {
        GraphBuilder g = GraphBuilder.create("frozen_norm");
        Value x = g.input("x", ElementType.DOUBLE, Dim.of(2), Dim.of(3));
        Value scale = g.initializer(Tensor.ofDoubles("scale", new long[] {3}, 1, 1, 1));
        Value normalized = g.node("LayerNormalization").inputs(x, scale).output();
        Value w = g.initializer(Tensor.ofDoubles("w", new long[] {3}, 0.5, -1, 2));
        g.output(g.op("ReduceSum", g.op("Mul", normalized, w)), "loss");
        Model model = g.toModel(17);
        assertTrue(opTypes(Autodiff.differentiate(model, "loss", List.of("w"))).contains("LayerNormalization"),
                "a frozen LayerNormalization stays whole");
        assertFalse(opTypes(Autodiff.differentiate(model, "loss", List.of("scale"))).contains("LayerNormalization"),
                "a trained LayerNormalization is expanded");
    }

    private static List<String> opTypes(GradientModel gradients) {
        return gradients.model().graph().nodes().stream().map(Node::opType).toList();
    }

    @Test
    void aTrainableValueTheLossIgnoresIsRefused() {
        GraphBuilder g = GraphBuilder.create("unused");
        Value x = g.input("x", ElementType.DOUBLE, Dim.of(2));
        g.initializer(Tensor.ofDoubles("w", new long[] {3}, 1, 2, 3));
        g.output(g.op("ReduceSum", g.op("Mul", x, x)), "loss");
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(g.toModel(17), "loss", List.of("w")));
        assertEquals("trainable 'w' has no gradient path to loss 'loss': the loss does not read it; leave it out of"
                + " the trainable values", error.getMessage());
    }

    /** A round trip through an integer type reads the weight but passes no gradient: the weight would never move. */
    @Test
    void aTrainableValueSeenOnlyThroughAnIntegerCastIsRefusedNamingTheNode() {
        GraphBuilder g = GraphBuilder.create("rounded");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {3}, 1.5f, -2, 3));
        Value truncated = g.node("Cast").name("to_int").inputs(w).attr("to", (long) ElementType.INT32.onnxCode()).output();
        Value back = g.node("Cast").inputs(truncated).attr("to", (long) ElementType.FLOAT.onnxCode()).output();
        g.output(g.op("ReduceSum", g.op("Mul", x, g.op("Add", back, w))), "loss");
        Model model = g.toModel(17);
        assertEquals(Map.of("w", "grad.w"), Autodiff.differentiate(model, "loss", List.of("w")).gradientOutputs(),
                "the direct path still carries a gradient");

        GraphBuilder only = GraphBuilder.create("rounded_only");
        Value x2 = only.input("x", ElementType.FLOAT, Dim.of(3));
        Value w2 = only.initializer(Tensor.ofFloats("w", new long[] {3}, 1.5f, -2, 3));
        Value truncated2 = only.node("Cast").name("to_int").inputs(w2).attr("to", (long) ElementType.INT32.onnxCode())
                .output();
        Value back2 = only.node("Cast").inputs(truncated2).attr("to", (long) ElementType.FLOAT.onnxCode()).output();
        only.output(only.op("ReduceSum", only.op("Mul", x2, back2)), "loss");
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(only.toModel(17), "loss", List.of("w")));
        assertTrue(error.getMessage().startsWith("trainable 'w' has no gradient path to loss 'loss': it reaches the"
                + " loss only through node 'to_int' (Cast), whose output 'to_int' is of type"), error.getMessage());
    }

    @Test
    void aTrainableValueSeenOnlyThroughAPiecewiseConstantOpIsRefusedNamingTheNode() {
        GraphBuilder g = GraphBuilder.create("floored");
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {2}, 1.5f, -2));
        Value floored = g.node("Floor").name("floor").inputs(w).output();
        g.output(g.op("ReduceSum", g.op("Mul", floored, floored)), "loss");
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(g.toModel(17), "loss", List.of("w")));
        assertEquals("trainable 'w' has no gradient path to loss 'loss': it reaches the loss only through node"
                + " 'floor' (Floor), whose outputs are integer, boolean or piecewise constant and pass no gradient;"
                + " freeze it or give the path a differentiable form", error.getMessage());
    }

    @Test
    void controlFlowOnTheGradientPathIsRefusedAsSuch() {
        GraphBuilder g = GraphBuilder.create("branch");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(2));
        Value condition = g.input("condition", ElementType.BOOL);
        GraphBuilder thenBranch = g.subgraph("then");
        thenBranch.output(thenBranch.op("Mul", x, x), "squared");
        GraphBuilder elseBranch = g.subgraph("else");
        elseBranch.output(elseBranch.op("Neg", x), "negated");
        Value chosen = g.node("If").name("choose").inputs(condition)
                .attr("then_branch", thenBranch.build())
                .attr("else_branch", elseBranch.build())
                .output();
        chosen.setType(x.type());
        g.output(g.op("ReduceSum", chosen), "loss");
        AutodiffException error = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(g.toModel(17), "loss", List.of("x")));
        assertEquals("no gradient rule for If (ai.onnx) at node choose: control flow (If, Loop, Scan) cannot have"
                + " one, since its subgraphs pick a branch or a number of iterations at run time; freeze the weights"
                + " that reach it or compute them outside its subgraphs", error.getMessage());
    }

    @Test
    void unknownLossAndTrainableNamesAreReported() {
        Model model = mlp(1);
        AutodiffException noLoss = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(model, "nope", List.of("w1")));
        assertEquals("graph 'mlp' has no value named 'nope' to use as the loss", noLoss.getMessage());
        AutodiffException noWeight = assertThrows(AutodiffException.class,
                () -> Autodiff.differentiate(model, "loss", List.of("w9")));
        assertTrue(noWeight.getMessage().startsWith("graph 'mlp' has no initializer or input named 'w9' to train"),
                noWeight.getMessage());
    }
}
