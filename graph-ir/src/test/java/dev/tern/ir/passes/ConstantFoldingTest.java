package dev.tern.ir.passes;

import dev.tern.ir.Attribute;
import dev.tern.ir.Dim;
import dev.tern.ir.ElementType;
import dev.tern.ir.GraphBuilder;
import dev.tern.ir.Model;
import dev.tern.ir.Tensor;
import dev.tern.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tern.ir.passes.DeadNodeEliminationTest.ops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantFoldingTest {
    private static Tensor folded(Model model, String name) {
        return model.graph().initializers().get(name).initializer();
    }

    @Test
    void foldsAChainOfConstantNodesAndLeavesTheRest() {
        GraphBuilder g = GraphBuilder.create("main");
        Value x = g.input("x", ElementType.FLOAT, Dim.of(3), Dim.of(2));
        Value w = g.initializer(Tensor.ofFloats("w", new long[] {6}, 1, 2, 3, 4, 5, 6));
        Value shape = g.node("Constant").attr(Attribute.ofInts("value_ints", 2, 3)).output("shape");
        Value reshaped = g.node("Reshape").inputs(w, shape).output("reshaped");
        Value transposed = g.node("Transpose").inputs(reshaped).output("transposed");
        Value bias = g.initializer(Tensor.ofFloats("bias", new long[] {2}, 10, 20));
        Value shifted = g.node("Add").inputs(transposed, bias).output("shifted");
        g.output(g.op("Mul", x, shifted), "y");
        Model model = g.toModel(21);

        assertTrue(new ConstantFolding().apply(model).modified());

        assertEquals(List.of("Mul"), ops(model.graph()));
        Tensor result = folded(model, "shifted");
        assertArrayEquals(new long[] {3, 2}, result.dims());
        assertArrayEquals(new float[] {11, 24, 12, 25, 13, 26}, result.toFloatArray());
        assertEquals("shifted", model.graph().nodes().get(0).input(1).name());
        model.validate();

        new DeadNodeElimination().apply(model);
        assertEquals(List.of("shifted"), List.copyOf(model.graph().initializers().keySet()),
                "dead-nodes is what drops the inputs folding left unread");
    }

    @Test
    void broadcastsAndComputesIntegersLikeCpp() {
        GraphBuilder g = GraphBuilder.create("main");
        Value a = g.initializer(Tensor.ofLongs("a", new long[] {2, 1}, -7, 7));
        Value b = g.initializer(Tensor.ofLongs("b", new long[] {3}, 2, -2, 3));
        Value zero = g.initializer(Tensor.ofLongs("zero", new long[] {1}, 0));
        g.output(g.node("Div").inputs(a, b).output("quotient"));
        g.output(g.node("Div").inputs(a, zero).output("by_zero"));
        g.output(g.node("Neg").inputs(b).output("negated"));
        Model model = g.toModel(21);

        new ConstantFolding().apply(model);

        assertArrayEquals(new long[] {2, 3}, folded(model, "quotient").dims());
        assertArrayEquals(new long[] {-3, 3, -2, 3, -3, 2}, folded(model, "quotient").toLongArray());
        assertArrayEquals(new long[] {-2, 2, -3}, folded(model, "negated").toLongArray());
        assertEquals(List.of("Div"), ops(model.graph()), "division by zero is left to run time");
        model.validate();
    }

    @Test
    void initializerAGraphInputMayOverrideIsNotAConstantFromIrVersionFour() {
        GraphBuilder g = GraphBuilder.create("main");
        Value scale = g.initializer(Tensor.ofFloats("scale", new long[0], 4));
        g.output(g.node("Sqrt").inputs(scale).output("root"));
        Model model = g.toModel(21);
        model.graph().addInput(scale);

        assertFalse(new ConstantFolding().apply(model).modified());

        model.setIrVersion(3);
        assertTrue(new ConstantFolding().apply(model).modified(), "before IR 4 every initializer is also an input");
        assertArrayEquals(new float[] {2}, folded(model, "root").toFloatArray());
        assertTrue(model.graph().inputs().contains(model.graph().initializers().get("root")),
                "and so the folded value is listed among the inputs too");
    }

    @Test
    void castsTruncateTowardZeroAndRefuseWhatCppLeavesUndefined() {
        GraphBuilder g = GraphBuilder.create("main");
        Value finite = g.initializer(Tensor.ofFloats("finite", new long[] {3}, -1.7f, 2.9f, 0.5f));
        Value nan = g.initializer(Tensor.ofFloats("nan", new long[] {1}, Float.NaN));
        Value huge = g.initializer(Tensor.ofDoubles("huge", new long[] {1}, 3e9));
        long int32 = ElementType.INT32.onnxCode();
        g.output(g.node("Cast").inputs(finite).attr("to", int32).output("ints"));
        g.output(g.node("Cast").inputs(nan).attr("to", int32).output("nan_ints"));
        g.output(g.node("Cast").inputs(huge).attr("to", int32).output("huge_ints"));
        g.output(g.node("Cast").inputs(huge).attr("to", (long) ElementType.FLOAT.onnxCode()).output("huge_float"));
        Model model = g.toModel(21);

        new ConstantFolding().apply(model);

        assertArrayEquals(new int[] {-1, 2, 0}, folded(model, "ints").toIntArray());
        assertArrayEquals(new float[] {3e9f}, folded(model, "huge_float").toFloatArray());
        assertEquals(List.of("Cast", "Cast"), ops(model.graph()));
    }

    @Test
    void foldsShapeOperators() {
        GraphBuilder g = GraphBuilder.create("main");
        Value a = g.initializer(Tensor.ofInts("a", new long[] {2, 1}, 1, 2));
        Value b = g.initializer(Tensor.ofInts("b", new long[] {2, 2}, 3, 4, 5, 6));
        Value axes = g.initializer(Tensor.ofLongs("axes", new long[] {1}, 0));
        Value joined = g.node("Concat").inputs(a, b).attr("axis", 1L).output("joined");
        g.output(joined);
        g.output(g.node("Unsqueeze").inputs(joined, axes).output("unsqueezed"));
        g.output(g.node("Squeeze").inputs(a).output("squeezed"));
        g.output(g.node("Flatten").inputs(b).attr("axis", 0L).output("flat"));
        g.output(g.node("Shape").inputs(joined).attr("start", -1L).output("last_dim"));
        Model model = g.toModel(21);

        new ConstantFolding().apply(model);

        assertEquals(List.of(), ops(model.graph()));
        assertArrayEquals(new long[] {2, 3}, folded(model, "joined").dims());
        assertArrayEquals(new int[] {1, 3, 4, 2, 5, 6}, folded(model, "joined").toIntArray());
        assertArrayEquals(new long[] {1, 2, 3}, folded(model, "unsqueezed").dims());
        assertArrayEquals(new long[] {2}, folded(model, "squeezed").dims());
        assertArrayEquals(new long[] {1, 4}, folded(model, "flat").dims());
        assertArrayEquals(new long[] {3}, folded(model, "last_dim").toLongArray());
        model.validate();
    }

    @Test
    void leavesTypesItDoesNotComputeIn() {
        GraphBuilder g = GraphBuilder.create("main");
        Value half = g.initializer(Tensor.zeros("half", ElementType.FLOAT16, 2));
        g.output(g.node("Add").inputs(half, half).output("sum"));
        Model model = g.toModel(21);

        assertFalse(new ConstantFolding().apply(model).modified());
    }
}
